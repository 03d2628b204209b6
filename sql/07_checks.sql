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

-- check: area SEND outcomes only in the area SEND area, and only from AREA_SEND inspections
SELECT j.record_id, j.area, j.grade, r.framework FROM judgement_records j
JOIN inspection_records r USING (record_id)
JOIN grades g ON g.grade = j.grade
JOIN areas a ON a.area = j.area
WHERE (g.scale = 'area_send') <> (a.scale = 'area_send')
   OR (a.scale = 'area_send' AND r.framework <> 'AREA_SEND');

-- check: area SEND findings belong to a report with a record
SELECT source_id, section FROM area_send_findings
WHERE source_id NOT IN (SELECT source_id FROM inspection_records)
   OR section NOT IN ('areas_for_priority_action', 'areas_for_improvement');

-- check: social care providers have a known type, LA and four-point grades
SELECT source_id, row_ref, provider_type, la_code, overall_grade FROM (
    SELECT source_id, row_ref, provider_type, la_code, overall_grade, help_and_protection_grade,
           leadership_grade, education_grade, health_grade FROM social_care_providers
    UNION ALL
    SELECT source_id, row_ref, provider_type, la_code, overall_grade, help_and_protection_grade,
           leadership_grade, education_grade, health_grade FROM social_care_provider_inspections
) p
WHERE provider_type NOT IN (SELECT provider_type FROM provider_types)
   OR la_code NOT IN (SELECT la_code FROM local_authorities)
   OR source_id NOT IN (SELECT source_id FROM sources)
   OR EXISTS (SELECT 1 FROM (VALUES (p.overall_grade), (p.help_and_protection_grade),
                                    (p.leadership_grade), (p.education_grade), (p.health_grade)) v(g)
              WHERE v.g IS NOT NULL
                AND v.g NOT IN (SELECT grade FROM grades WHERE scale = 'four_point'));

-- check: a provider appears once per release
SELECT source_id, as_at, provider_urn, count(*) AS n FROM social_care_providers
GROUP BY ALL HAVING count(*) > 1;

-- check: national provider series name known groups and four-point grades
SELECT source_id, table_ref, provider_group, grade FROM provider_national_series
WHERE (provider_group NOT IN (SELECT provider_type FROM provider_types)
       AND provider_group NOT IN ('all', 'all_childrens_homes'))
   OR (grade IS NOT NULL AND grade NOT IN (SELECT grade FROM grades WHERE scale = 'four_point'))
   OR measure NOT IN ('latest_overall_effectiveness', 'in_year_overall_effectiveness',
                      'providers', 'places');
