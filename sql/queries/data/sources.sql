-- Every source file with its provenance and how many records it gave (Data and sources page).
-- params: none
WITH rec AS (SELECT source_id, count(*) AS records FROM inspection_records GROUP BY source_id),
quar AS (SELECT source_id, count(*) AS quarantined FROM quarantine GROUP BY source_id)
SELECT s.source_id, s.kind, s.title, s.path, s.url, s.publisher, s.licence, s.parser,
       s.parser_version, s.as_at, s.published_by, s.precedence, s.sha256,
       coalesce(rec.records, 0) AS records, coalesce(quar.quarantined, 0) AS quarantined
FROM sources s
LEFT JOIN rec USING (source_id)
LEFT JOIN quar USING (source_id)
ORDER BY s.precedence, s.kind, s.source_id
