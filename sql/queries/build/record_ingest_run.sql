-- One row in ingest_runs per build or refresh.
-- param code_version VARCHAR
-- param command VARCHAR
-- param conflicts INTEGER
-- param files_in INTEGER NULL
-- param finished_at TIMESTAMP
-- param judgements INTEGER
-- param quarantined INTEGER
-- param records INTEGER
-- param run_id VARCHAR
-- param snapshot_made VARCHAR NULL
-- param started_at TIMESTAMP
INSERT INTO ingest_runs VALUES ($run_id, $command, $started_at, $finished_at,
                                CAST($snapshot_made AS TIMESTAMPTZ), $files_in, $records,
                                $judgements, $quarantined, $conflicts, $code_version)
