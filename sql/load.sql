-- Load the shipped snapshot (data/snapshot/*.csv) into the tables of schema.sql.
-- `python -m etl build` sets the variable snapshot_dir first. CSVs are read as text and cast
-- here, so a malformed value fails the build loudly instead of loading as NULL.

INSERT INTO local_authorities
SELECT la_code, nullif(ons_code, ''), name, nullif(region_code, ''), nullif(region_name, ''),
       nullif(la_type, ''), nullif(ofsted_urn, ''), CAST(nullif(valid_from, '') AS DATE),
       CAST(nullif(valid_to, '') AS DATE), nullif(also_known_as, '')
FROM read_csv(getvariable('snapshot_dir') || '/local_authorities.csv', header = true, all_varchar = true);

INSERT INTO la_reorganisations
SELECT predecessor_la_code, successor_la_code, CAST(change_date AS DATE), kind, notes
FROM read_csv(getvariable('snapshot_dir') || '/la_reorganisations.csv', header = true, all_varchar = true);

INSERT INTO statistical_neighbours
SELECT la_code, neighbour_la_code, CAST(rank AS INTEGER), vintage
FROM read_csv(getvariable('snapshot_dir') || '/statistical_neighbours.csv', header = true, all_varchar = true);

INSERT INTO sources
SELECT source_id, kind, title, path, nullif(url, ''), publisher, licence, parser, parser_version,
       sha256, CAST(nullif(as_at, '') AS DATE), CAST(nullif(published_by, '') AS DATE),
       CAST(precedence AS INTEGER)
FROM read_csv(getvariable('snapshot_dir') || '/sources.csv', header = true, all_varchar = true);

INSERT INTO inspection_records
SELECT record_id, inspection_id, source_id, row_ref, la_code, la_name_raw, framework,
       inspection_type, CAST(nullif(start_date, '') AS DATE), CAST(nullif(end_date, '') AS DATE),
       CAST(nullif(published_date, '') AS DATE), nullif(report_url, ''), evidence,
       nullif(confidence, ''), nullif(notes, ''), parser_version,
       CAST(nullif(published_on_or_before, '') AS DATE)
FROM read_csv(getvariable('snapshot_dir') || '/inspection_records.csv', header = true, all_varchar = true);

INSERT INTO judgement_records
SELECT record_id, area, grade, grade_text
FROM read_csv(getvariable('snapshot_dir') || '/judgement_records.csv', header = true, all_varchar = true);

INSERT INTO quarantine
SELECT source_id, file, row_ref, reason, raw
FROM read_csv(getvariable('snapshot_dir') || '/quarantine.csv', header = true, all_varchar = true);

INSERT INTO reference_figures
SELECT figure_id, source, description, basis, nullif(framework, ''), nullif(area, ''),
       CAST(nullif(as_at, '') AS DATE), CAST(nullif(window_start, '') AS DATE),
       CAST(nullif(published_by, '') AS DATE), nullif(la_code, ''), nullif(grade, ''),
       CAST(value AS DOUBLE), unit
FROM read_csv(getvariable('snapshot_dir') || '/reference_figures.csv', header = true, all_varchar = true);

INSERT INTO hexmap
SELECT la_code, name, CAST(q AS INTEGER), CAST(r AS INTEGER), layout
FROM read_csv(getvariable('snapshot_dir') || '/hexmap.csv', header = true, all_varchar = true);

INSERT INTO changes
SELECT CAST(detected_at AS TIMESTAMP), nullif(run_id, ''), change_type, nullif(la_code, ''),
       nullif(inspection_id, ''), nullif(area, ''), nullif(old_value, ''), nullif(new_value, ''),
       nullif(detail, '')
FROM read_csv(getvariable('snapshot_dir') || '/changes.csv', header = true, all_varchar = true);
