-- The change feed since a date (`python -m etl changes --since`).
-- param since DATE: earliest change to list
SELECT c.detected_at, c.change_type, c.la_code, l.name AS la_name, c.inspection_id, c.area,
       c.old_value, c.new_value, c.detail
FROM changes c LEFT JOIN local_authorities l USING (la_code)
WHERE c.detected_at >= CAST($since AS TIMESTAMP)
ORDER BY c.detected_at DESC, la_name
