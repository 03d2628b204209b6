-- Source files with their provenance and how many records each gave (Data and sources page), in
-- precedence order: those of one kind, or of every kind, up to max_rows (at scale there are far
-- more than a page can show). Counted at build (source_counts, sql/04_views.sql).
-- param kind VARCHAR NULL: a kind of source (sources.kind), NULL for every kind
-- param max_rows INTEGER: how many sources at most
SELECT source_id, kind, title, path, url, publisher, licence, parser, parser_version, as_at,
       published_by, precedence, sha256, records, quarantined
FROM source_counts
WHERE $kind IS NULL OR kind = $kind
ORDER BY precedence, kind, source_id
LIMIT $max_rows
