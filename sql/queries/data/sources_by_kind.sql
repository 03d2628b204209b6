-- Provenance summary: per kind of source, how many files, records, judgements and rejected rows,
-- under which licence and parser (Data and sources page). Counted at build (source_kinds,
-- sql/04_views.sql).
-- params: none
SELECT kind, precedence, sources, records, judgements, quarantined, publishers, licences, parsers
FROM source_kinds
ORDER BY precedence, kind
