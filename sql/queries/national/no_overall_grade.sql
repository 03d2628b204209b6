-- The LAs with no current overall effectiveness grade as at a date: each one's latest
-- inspection started on or after the April 2026 change (frameworks.no_overall_from), which
-- gives no overall grade. With that inspection's four other judgements (impact of leaders,
-- help and protection, children in care, care leavers; children in care and care leavers as one
-- where the inspection judged them together) and the superseded previous overall grade
-- (National, Failing and Neighbours pages: the sub-judgements one click away).
-- `las` keeps the LAs named (the Statistical neighbours page's group): at 1000 times today's
-- LAs, 11,000 rows filtered to a dozen on the page.
-- param as_at DATE: the date the figure is 'as at'
-- param framework VARCHAR NULL: SIF, ILACS, ... or NULL for any framework
-- param include_secondary BOOLEAN: count grades resting on secondary evidence
-- param published_by DATE NULL: publication cut-off, NULL for as_at itself
-- param las VARCHAR NULL: comma-separated DfE codes of the LAs to keep (NULL: every LA)
WITH lj AS (
    SELECT * FROM latest_judgements($as_at, 'overall_effectiveness', framework := $framework,
                                    published_by := $published_by,
                                    include_secondary := $include_secondary,
                                    superseded := 'not_current')
    WHERE grade = 'no_overall_grade'
      AND ($las IS NULL OR list_contains(string_split($las, ','), la_code))
),
previous AS (
    -- the inspection the superseded grade came from
    SELECT p.la_code, p.end_date AS previous_ended, p.published_date AS previous_published,
           p.framework AS previous_framework
    FROM latest_judgements($as_at, 'overall_effectiveness', framework := $framework,
                           published_by := $published_by, include_secondary := $include_secondary,
                           superseded := 'carry_forward') p
    WHERE p.is_superseded
      AND ($las IS NULL OR list_contains(string_split($las, ','), p.la_code))
)
SELECT lj.la_code, lj.la_name, lj.region_name, lj.framework, lj.inspection_type,
       lj.start_date, lj.end_date, lj.published_date,
       s.leadership, s.help_and_protection, s.children_looked_after, s.care_leavers,
       s.children_in_care_and_care_leavers,
       lj.previous_grade, p.previous_framework, p.previous_published,
       lj.report_url, lj.inspection_id
FROM lj
JOIN inspection_summary s ON s.inspection_id = lj.inspection_id
LEFT JOIN previous p ON p.la_code = lj.la_code
ORDER BY lj.la_name
