-- A source's title and publication facts, for a figure's source line (the provider release a
-- provider figure comes from).
-- param source_id VARCHAR: sources.source_id
SELECT s.source_id, s.title, s.url, s.publisher, s.licence, s.as_at
FROM sources s WHERE s.source_id = $source_id
