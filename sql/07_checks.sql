-- Build step 7: integrity checks run at the end of every build: each query lists violations and must return
-- no rows, or the build fails and the previous database is kept.

-- check: judgement areas and grades are in the model's vocabulary
SELECT record_id, area, grade FROM judgement_records
WHERE area NOT IN (SELECT area FROM areas) OR grade NOT IN (SELECT grade FROM grades);

-- check: frameworks and inspection types are in the model's vocabulary
SELECT record_id, framework, inspection_type FROM inspection_records
WHERE framework NOT IN (SELECT framework FROM frameworks)
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

-- check: every grade is on the scale of its framework at the time (adequate only before the SIF,
-- requires improvement only since); the no-overall-grade category is never a judgement
SELECT j.record_id, r.framework, j.area, j.grade FROM judgement_records j
JOIN inspection_records r USING (record_id)
JOIN frameworks f ON f.framework = r.framework
JOIN grades g ON g.grade = j.grade
WHERE (g.scale = 'pre_2013' AND f.scale <> 'pre_2013')
   OR (j.grade = 'requires_improvement' AND f.scale = 'pre_2013')
   OR g.scale = 'post_2026';

-- check: the vintages of statistical neighbours are described, and each LA has at most 10 per vintage
SELECT DISTINCT vintage FROM statistical_neighbours
WHERE vintage NOT IN (SELECT vintage FROM neighbour_vintages)
UNION ALL
SELECT la_code || ' ' || vintage FROM statistical_neighbours GROUP BY la_code, vintage HAVING count(*) > 10;

-- check: a release's own figures name the LAs of any departure they state
SELECT figure_id FROM reference_figures
WHERE departure IS NOT NULL AND coalesce(departure_la_codes, '') = '';
