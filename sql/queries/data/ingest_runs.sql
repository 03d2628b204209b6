-- The most recent builds and refreshes (Data and sources page).
-- params: none
SELECT run_id, command, started_at, finished_at, snapshot_made, files_in, records, judgements,
       quarantined, conflicts, code_version
FROM ingest_runs ORDER BY finished_at DESC NULLS LAST LIMIT 10
