-- One row in ingest_runs per build or refresh.
INSERT INTO ingest_runs VALUES ($run_id, $command, $started_at, $finished_at,
                                CAST($snapshot_made AS TIMESTAMPTZ), $files_in, $records,
                                $judgements, $quarantined, $conflicts, $code_version)
