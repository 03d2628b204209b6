-- An LA and its statistical neighbours (one vintage) with each one's latest graded inspection
-- published by $as_at (optionally under one framework) and that inspection's grades side by
-- side (Statistical neighbours page). rank 0 is the LA itself; closeness is the model's band
-- (2021 and 2025 sets). LEFT JOINs keep a neighbour with no inspection (or one abolished since)
-- as a row rather than dropping it. no_overall_by_design: the inspection started on or after
-- the April 2026 change, so it gives no overall grade (previous_overall: the grade it
-- supersedes, from latest_judgements). overall_effectiveness of a SLAC inspection is the
-- derived one the figures count (the worse of its two strands, overall_text saying so).
-- param as_at DATE: the date the figure is 'as at'
-- param framework VARCHAR NULL: SIF, ILACS, ... or NULL for any framework
-- param la_code VARCHAR: DfE 3-digit LA code
-- param vintage VARCHAR: statistical neighbour set ('in_force': the one in force on as_at)
WITH chosen AS (
    SELECT CASE WHEN $vintage = 'in_force'
                THEN (SELECT nv.vintage FROM neighbour_vintage_on(CAST($as_at AS DATE)) nv)
                ELSE $vintage END AS v
),
grp AS (
    SELECT CAST($la_code AS VARCHAR) AS la_code, 0 AS rank, NULL::VARCHAR AS closeness
    UNION ALL
    SELECT neighbour_la_code, rank, closeness FROM statistical_neighbours
    WHERE la_code = $la_code AND vintage = (SELECT v FROM chosen)
),
-- the group's LAs' latest overall judgement (latest_judgements) where it is a reform inspection:
-- read from their intervals covering the date only, not every LA's
prev AS (
    SELECT w.la_code, w.previous_grade
    FROM judgement_intervals('overall_effectiveness', framework := CAST($framework AS VARCHAR)) w
    JOIN las_on(CAST($as_at AS DATE)) l ON l.la_code = w.la_code
    WHERE w.la_code IN (SELECT la_code FROM grp)
      AND w.valid_from <= CAST($as_at AS DATE)
      AND (w.valid_to IS NULL OR w.valid_to >= CAST($as_at AS DATE))
      AND w.no_overall_since IS NOT NULL
),
insp AS (
    SELECT s.*,
           row_number() OVER (PARTITION BY s.la_code
                              ORDER BY coalesce(s.end_date, s.published_date) DESC,
                                       s.published_date DESC, s.inspection_id) AS rn
    FROM inspection_summary s
    WHERE s.la_code IN (SELECT la_code FROM grp)
      AND s.is_inspection
      AND s.published_date <= CAST($as_at AS DATE)
      AND coalesce(s.end_date, s.published_date) <= CAST($as_at AS DATE)
      AND (CAST($framework AS VARCHAR) IS NULL OR s.framework = $framework)
      AND coalesce(s.overall_effectiveness, s.leadership, s.help_and_protection,
                   s.children_looked_after, s.children_in_care_and_care_leavers) IS NOT NULL
)
SELECT grp.rank, grp.la_code, l.name AS la_name, l.region_name, l.valid_from, l.valid_to,
       grp.closeness,
       (SELECT v FROM chosen) AS vintage_used,
       i.framework, i.inspection_type, i.start_date, i.end_date, i.published_date,
       coalesce(i.overall_effectiveness, ob.grade) AS overall_effectiveness,
       CASE WHEN i.overall_effectiveness IS NULL THEN ob.grade_text END AS overall_text,
       i.leadership, i.help_and_protection, i.children_looked_after,
       i.children_in_care_and_care_leavers, i.care_leavers, i.adoption, i.lscb, i.safeguarding,
       i.evidence, i.has_conflict, i.report_url, i.inspection_id,
       coalesce(i.start_date >= f.no_overall_from, false) AS no_overall_by_design,
       prev.previous_grade AS previous_overall
FROM grp
LEFT JOIN local_authorities l ON l.la_code = grp.la_code
LEFT JOIN insp i ON i.la_code = grp.la_code AND i.rn = 1
LEFT JOIN frameworks f ON f.framework = i.framework
-- SLAC gave no overall grade: the one the figures count is derived (judgement_bases)
LEFT JOIN judgement_bases ob ON ob.inspection_id = i.inspection_id
                            AND ob.area = 'overall_effectiveness' AND ob.grade <> 'not_judged'
LEFT JOIN prev ON prev.la_code = grp.la_code AND i.inspection_id IS NOT NULL
ORDER BY grp.rank
