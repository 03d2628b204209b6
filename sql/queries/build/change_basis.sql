-- What the change feed compares between the database before and after a refresh.
-- params: none
SELECT i.inspection_id, i.la_code, i.framework, i.inspection_type, i.is_inspection,
       i.start_date, i.published_date, j.area, j.grade
FROM inspections i LEFT JOIN judgements j USING (inspection_id)
