-- Every source file with its provenance and how many records it gave (Data and sources page).
-- params: none
SELECT s.source_id, s.kind, s.title, s.path, s.url, s.publisher, s.licence, s.parser,
       s.parser_version, s.as_at, s.published_by, s.precedence, s.sha256,
       c.records, c.quarantined
FROM sources s
JOIN source_counts c USING (source_id)
ORDER BY s.precedence, s.kind, s.source_id
