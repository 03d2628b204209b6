-- Build step 2: load the shipped snapshot (data/snapshot/<table>.csv) into the tables of
-- 01_schema.sql. `python -m etl build` sets the variable snapshot_dir first. Each file holds its
-- table's columns by name; CSVs are read as text and cast on insert, so a malformed value fails
-- the build loudly (naming the file and line) instead of loading as NULL; an empty cell is NULL.

INSERT INTO local_authorities BY NAME
SELECT * FROM read_csv(getvariable('snapshot_dir') || '/local_authorities.csv', header = true, all_varchar = true);

INSERT INTO la_reorganisations BY NAME
SELECT * FROM read_csv(getvariable('snapshot_dir') || '/la_reorganisations.csv', header = true, all_varchar = true);

-- Kept in LA order: a page reads one LA's neighbours, and the order lets it read one block.
INSERT INTO statistical_neighbours BY NAME
SELECT * FROM read_csv(getvariable('snapshot_dir') || '/statistical_neighbours.csv', header = true, all_varchar = true)
ORDER BY la_code, vintage;

INSERT INTO neighbour_vintages BY NAME
SELECT * FROM read_csv(getvariable('snapshot_dir') || '/neighbour_vintages.csv', header = true, all_varchar = true);

INSERT INTO sources BY NAME
SELECT * FROM read_csv(getvariable('snapshot_dir') || '/sources.csv', header = true, all_varchar = true);

INSERT INTO inspection_records BY NAME
SELECT * FROM read_csv(getvariable('snapshot_dir') || '/inspection_records.csv', header = true, all_varchar = true);

INSERT INTO judgement_records BY NAME
SELECT * FROM read_csv(getvariable('snapshot_dir') || '/judgement_records.csv', header = true, all_varchar = true);

INSERT INTO quarantine BY NAME
SELECT * FROM read_csv(getvariable('snapshot_dir') || '/quarantine.csv', header = true, all_varchar = true);

INSERT INTO reference_figures BY NAME
SELECT * FROM read_csv(getvariable('snapshot_dir') || '/reference_figures.csv', header = true, all_varchar = true);

INSERT INTO release_figures BY NAME
SELECT * FROM read_csv(getvariable('snapshot_dir') || '/release_figures.csv', header = true, all_varchar = true);

-- An official release's figures about itself are reference figures like the seeds' (one table for
-- reconcile and the Data page); release_figures keeps which source they were read from.
INSERT INTO reference_figures BY NAME
SELECT * EXCLUDE (source_id) FROM release_figures;

INSERT INTO hexmap BY NAME
SELECT * FROM read_csv(getvariable('snapshot_dir') || '/hexmap.csv', header = true, all_varchar = true);

INSERT INTO changes BY NAME
SELECT * FROM read_csv(getvariable('snapshot_dir') || '/changes.csv', header = true, all_varchar = true);

INSERT INTO area_send_findings BY NAME
SELECT * FROM read_csv(getvariable('snapshot_dir') || '/area_send_findings.csv', header = true, all_varchar = true);

INSERT INTO social_care_providers BY NAME
SELECT * FROM read_csv(getvariable('snapshot_dir') || '/social_care_providers.csv', header = true, all_varchar = true);

INSERT INTO social_care_provider_inspections BY NAME
SELECT * FROM read_csv(getvariable('snapshot_dir') || '/social_care_provider_inspections.csv', header = true, all_varchar = true);

INSERT INTO provider_national_series BY NAME
SELECT * FROM read_csv(getvariable('snapshot_dir') || '/provider_national_series.csv', header = true, all_varchar = true);

-- Report text (gzipped: the largest table of the snapshot).
INSERT INTO report_sections BY NAME
SELECT * FROM read_csv(getvariable('snapshot_dir') || '/report_sections.csv.gz', header = true, all_varchar = true);

INSERT INTO improvement_points BY NAME
SELECT * FROM read_csv(getvariable('snapshot_dir') || '/improvement_points.csv', header = true, all_varchar = true);
