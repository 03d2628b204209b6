-- What a build loaded (printed by `build`, recorded in ingest_runs).
-- params: none
SELECT (SELECT count(*) FROM inspection_records) AS records,
       (SELECT count(*) FROM judgement_records) AS judgements,
       (SELECT count(*) FROM inspections) AS inspections,
       (SELECT count(*) FROM quarantine) AS quarantined,
       (SELECT count(*) FROM conflicts) AS conflicts
