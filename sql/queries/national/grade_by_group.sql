-- Grade distribution as at a date split by region ($group_by = 'region') or LA type
-- ('la_type'), with England first as the benchmark row (National picture page). share is of
-- the group's LAs with a current grade, as in grade_distribution: the no-overall-grade
-- category (LAs inspected since the April 2026 change) has its count and a NULL share.
-- param area VARCHAR: judgement area (areas.area, or any_practice)
-- param as_at DATE: the date the figure is 'as at'
-- param framework VARCHAR NULL: SIF, ILACS, ... or NULL for any framework
-- param group_by VARCHAR: 'region' or 'la_type'
-- param include_secondary BOOLEAN: count grades resting on secondary evidence
-- param published_by DATE NULL: publication cut-off, NULL for as_at itself
-- param which VARCHAR: 'latest' or 'first' inspection under the framework
-- param superseded VARCHAR: 'not_current' or 'carry_forward' (see national/grade_distribution)
-- param wording VARCHAR: 'at_the_time' or 'current'
-- By region with the date's own cut-off and secondary evidence counted, the counts kept at build
-- (grade_counts_as_at); otherwise every LA's judgement (judgements_as_at), grouped.
WITH lj AS (
    SELECT CASE WHEN $group_by = 'la_type' THEN coalesce(la_type, 'Type not recorded')
                ELSE coalesce(region_name, 'Region not recorded') END AS grp,
           grade, is_superseded, 1 AS n
    FROM judgements_as_at($as_at, $area, framework := $framework,
                          published_by := $published_by, which := $which,
                          include_secondary := $include_secondary,
                          superseded := $superseded, wording := $wording)
    WHERE grade IS NOT NULL
      AND NOT ($group_by = 'region' AND $published_by IS NULL AND $include_secondary)
    UNION ALL
    SELECT coalesce(region_name, 'Region not recorded'), grade, is_superseded, n
    FROM grade_counts_as_at($as_at, $area, framework := $framework, which := $which,
                            superseded := $superseded, wording := $wording)
    WHERE $group_by = 'region' AND $published_by IS NULL AND $include_secondary
),
g AS (
    SELECT 'England' AS grp, grade, is_superseded, n FROM lj
    UNION ALL
    SELECT grp, grade, is_superseded, n FROM lj
),
counts AS (
    SELECT grp, grade, CAST(sum(n) AS BIGINT) AS n,
           CAST(coalesce(sum(n) FILTER (WHERE is_superseded), 0) AS BIGINT) AS n_superseded
    FROM g GROUP BY grp, grade
)
SELECT grp AS "group", grade, n,
       CASE WHEN grade <> 'no_overall_grade'
            THEN n / sum(n) FILTER (WHERE grade <> 'no_overall_grade') OVER (PARTITION BY grp)
       END AS share,
       n_superseded
FROM counts
ORDER BY grp <> 'England', grp, grade
