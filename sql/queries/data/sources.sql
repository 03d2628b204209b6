-- Every source file with its provenance and how many records it gave (Data and sources page).
-- params: none
SELECT s.source_id, s.kind, s.title, s.path, s.url, s.publisher, s.licence, s.parser,
       s.parser_version, s.as_at, s.published_by, s.precedence, s.sha256,
       (SELECT count(*) FROM inspection_records r WHERE r.source_id = s.source_id) AS records,
       (SELECT count(*) FROM quarantine q WHERE q.source_id = s.source_id) AS quarantined
FROM sources s
ORDER BY s.precedence, s.kind, s.source_id
