-- Rows the build refused, with the reason, optionally for one kind of source (Data and sources).
-- param source_kind VARCHAR NULL: one kind of source, NULL for all
SELECT coalesce(s.kind, 'unknown source') AS source_kind, q.source_id, q.file, q.row_ref,
       q.reason, q.raw
FROM quarantine q LEFT JOIN sources s USING (source_id)
WHERE $source_kind IS NULL OR coalesce(s.kind, 'unknown source') = $source_kind
ORDER BY source_kind, q.file, q.row_ref
