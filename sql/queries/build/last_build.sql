-- The most recent build or refresh (freshness lines, export metadata).
-- params: none
SELECT * FROM ingest_runs ORDER BY finished_at DESC LIMIT 1
