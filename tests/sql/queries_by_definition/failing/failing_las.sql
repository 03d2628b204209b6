-- The definition of sql/queries/failing/failing_las.sql: the last inspection and visit found by
-- grouping every inspection published by the date (the query before issue 14).
-- LAs whose latest judgement in an area is failing (adequate, requires improvement or
-- inadequate: grades.is_failing) as at a date, with how long it is since their last inspection
-- (Failing page). An LA inspected since the April 2026 change has no current overall grade and
-- is not listed by default; with superseded := 'carry_forward' its previous grade counts,
-- flagged is_superseded. "Last inspection" is the
-- latest graded inspection of the LA's children's services (any framework but area SEND)
-- published by the date; visits are listed apart
-- because monitoring visits of inadequate LAs do not regrade them.
-- param area VARCHAR: judgement area (areas.area, or any_practice)
-- param as_at DATE: the date the figure is 'as at'
-- param framework VARCHAR NULL: SIF, ILACS, ... or NULL for any framework
-- param superseded VARCHAR: 'not_current' or 'carry_forward' (see national/grade_distribution)
-- param wording VARCHAR: 'at_the_time' or 'current'
WITH lj AS (
    SELECT * FROM latest_judgements($as_at, $area, framework := $framework,
                                    superseded := $superseded, wording := $wording)
),
last_insp AS (
    SELECT la_code,
           max(coalesce(end_date, published_date)) AS last_inspected,
           arg_max(framework || ' ' || inspection_type, coalesce(end_date, published_date))
               AS last_inspection_type
    FROM inspections
    WHERE is_inspection AND published_date <= $as_at
      AND framework IN (SELECT framework FROM frameworks WHERE regime = 'childrens_services')
    GROUP BY la_code
),
last_visit AS (
    SELECT la_code,
           max(coalesce(end_date, published_date)) AS last_visit,
           arg_max(inspection_type, coalesce(end_date, published_date)) AS last_visit_type
    FROM inspections
    WHERE NOT is_inspection AND inspection_type <> 'lscb_review' AND published_date <= $as_at
      AND framework IN (SELECT framework FROM frameworks WHERE regime = 'childrens_services')
    GROUP BY la_code
)
SELECT lj.la_code, lj.la_name, lj.region_name, lj.grade, g.label AS grade_label,
       lj.framework, lj.inspection_type, lj.end_date AS judged_inspection_ended,
       lj.published_date AS judgement_published,
       li.last_inspected, li.last_inspection_type,
       datediff('day', li.last_inspected, CAST($as_at AS DATE)) AS days_since_last_inspection,
       date_sub('month', li.last_inspected, CAST($as_at AS DATE)) AS months_since_last_inspection,
       lv.last_visit, lv.last_visit_type,
       lj.evidence, lj.has_conflict, lj.is_superseded, lj.no_overall_since
FROM lj
JOIN grades g ON g.grade = lj.grade
LEFT JOIN last_insp li ON li.la_code = lj.la_code
LEFT JOIN last_visit lv ON lv.la_code = lj.la_code
WHERE g.is_failing
ORDER BY g.grade_rank DESC, days_since_last_inspection DESC NULLS LAST, lj.la_name
