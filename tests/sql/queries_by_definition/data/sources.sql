-- The definition of sql/queries/data/sources.sql: every source file with its provenance and how
-- many records it gave, counted from the records (the query before issue 14), of one kind or
-- every kind, up to max_rows.
-- param kind VARCHAR NULL: a kind of source (sources.kind), NULL for every kind
-- param max_rows INTEGER: how many sources at most
WITH rec AS (SELECT source_id, count(*) AS records FROM inspection_records GROUP BY source_id),
quar AS (SELECT source_id, count(*) AS quarantined FROM quarantine GROUP BY source_id)
SELECT s.source_id, s.kind, s.title, s.path, s.url, s.publisher, s.licence, s.parser,
       s.parser_version, s.as_at, s.published_by, s.precedence, s.sha256,
       coalesce(rec.records, 0) AS records, coalesce(quar.quarantined, 0) AS quarantined
FROM sources s
LEFT JOIN rec USING (source_id)
LEFT JOIN quar USING (source_id)
WHERE $kind IS NULL OR s.kind = $kind
ORDER BY s.precedence, s.kind, s.source_id
LIMIT $max_rows
