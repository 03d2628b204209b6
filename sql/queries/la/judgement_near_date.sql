-- One LA's judgement in an area from the inspection published nearest a date (within a month).
-- param area VARCHAR: judgement area (areas.area, or any_practice)
-- param as_at DATE: the date the figure is 'as at'
-- param framework VARCHAR NULL: SIF, ILACS, ... or NULL for any framework
-- param la_code VARCHAR: DfE 3-digit LA code
SELECT i.inspection_id, i.published_date, j.grade, j.grade_text, j.source_id, j.has_conflict
FROM inspections i JOIN judgements j USING (inspection_id)
WHERE i.la_code = $la_code AND j.area = $area AND i.framework = $framework
  AND abs(datediff('day', i.published_date, CAST($as_at AS DATE))) <= 31
ORDER BY abs(datediff('day', i.published_date, CAST($as_at AS DATE)))
LIMIT 1
