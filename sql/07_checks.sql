-- Build step 7: integrity checks run at the end of every build: each query lists violations and must return
-- no rows, or the build fails and the previous database is kept.

-- check: judgement areas and grades are in the model's vocabulary
SELECT record_id, area, grade FROM judgement_records
WHERE area NOT IN (SELECT area FROM areas) OR grade NOT IN (SELECT grade FROM grades);

-- check: frameworks and inspection types are in the model's vocabulary
SELECT record_id, framework, inspection_type FROM inspection_records
WHERE framework NOT IN ('SLAC', 'LAC2013', 'SIF', 'ILACS')
   OR inspection_type NOT IN (SELECT inspection_type FROM inspection_type_classes);

-- check: every record's LA is a known local authority
SELECT record_id, la_code FROM inspection_records
WHERE la_code NOT IN (SELECT la_code FROM local_authorities);

-- check: every record's source is registered
SELECT record_id, source_id FROM inspection_records
WHERE source_id NOT IN (SELECT source_id FROM sources);

-- check: every judgement belongs to a record
SELECT record_id FROM judgement_records
WHERE record_id NOT IN (SELECT record_id FROM inspection_records);

-- check: statistical neighbours are known LAs
SELECT la_code, neighbour_la_code FROM statistical_neighbours
WHERE la_code NOT IN (SELECT la_code FROM local_authorities)
   OR neighbour_la_code NOT IN (SELECT la_code FROM local_authorities);

-- check: an inspection ends on or after it starts
SELECT record_id, start_date, end_date FROM inspection_records WHERE end_date < start_date;
