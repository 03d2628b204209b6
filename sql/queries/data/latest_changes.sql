-- The change feed, newest first, capped (Data and sources page; `changes_since` filters by date).
-- params: none
SELECT c.detected_at, c.change_type, c.la_code, l.name AS la_name, c.inspection_id, c.area,
       c.old_value, c.new_value, c.detail
FROM changes c LEFT JOIN local_authorities l USING (la_code)
ORDER BY c.detected_at DESC, la_name
LIMIT 200
