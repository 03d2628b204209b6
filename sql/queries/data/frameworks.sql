-- Every framework since 2009: period, grade scale, where its overall effectiveness comes from,
-- and the date from which ILACS inspections give no overall grade.
-- params: none
SELECT * FROM frameworks ORDER BY sort_order
