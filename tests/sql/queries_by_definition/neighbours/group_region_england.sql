-- An LA's statistical neighbours (one vintage, the LA itself left out), its region and England
-- side by side: LAs by grade in an area as at a date (Statistical neighbours page, `export
-- neighbours-comparison`). Each group counts the LAs existing on the date that have a grade
-- (latest judgement, secondary evidence included, 'not judged' left out); a group with no
-- graded LA is left out. Every four-point grade appears in every group shown, zeros included;
-- adequate and the no-overall-grade category (LAs inspected since the April 2026 change) only
-- where some group has them. share is of the group's LAs with a current grade (NULL for the
-- no-overall-grade category). Groups come in the order neighbours, region, England.
-- param area VARCHAR: judgement area (areas.area, or any_practice)
-- param as_at DATE: the date the figure is 'as at'
-- param framework VARCHAR NULL: SIF, ILACS, ... or NULL for any framework
-- param la_code VARCHAR: DfE 3-digit LA code
-- param vintage VARCHAR: statistical neighbour set ('in_force': the one in force on as_at)
-- param superseded VARCHAR: 'not_current' or 'carry_forward' (see national/grade_distribution)
-- param wording VARCHAR: 'at_the_time' or 'current'
WITH graded AS (
    SELECT la_code, region_name, grade
    FROM latest_judgements(CAST($as_at AS DATE), $area, framework := $framework,
                           superseded := $superseded, wording := $wording)
    WHERE grade IS NOT NULL AND grade <> 'not_judged'
),
chosen AS (
    SELECT CASE WHEN $vintage = 'in_force'
                THEN (SELECT nv.vintage FROM neighbour_vintage_on(CAST($as_at AS DATE)) nv)
                ELSE $vintage END AS v
),
focus AS (
    SELECT name, nullif(region_name, '') AS region_name FROM local_authorities
    WHERE la_code = $la_code
),
members AS (
    SELECT 1 AS sort, 'Statistical neighbours of ' || f.name AS grp, g.grade
    FROM graded g CROSS JOIN focus f
    WHERE g.la_code IN (SELECT neighbour_la_code FROM statistical_neighbours
                        WHERE la_code = $la_code AND vintage = (SELECT v FROM chosen))
    UNION ALL
    SELECT 2, f.region_name, g.grade FROM graded g JOIN focus f ON g.region_name = f.region_name
    UNION ALL
    SELECT 3, 'England', grade FROM graded
),
counts AS (
    SELECT sort, grp, grade, count(*) AS n FROM members GROUP BY ALL
),
shown AS (
    SELECT DISTINCT sort, grp FROM counts
),
scale AS (
    SELECT gr.grade, gr.grade_rank FROM grades gr
    WHERE gr.grade <> 'not_judged'
      AND (gr.scale = 'four_point' OR gr.grade IN (SELECT grade FROM counts))
)
SELECT s.grp AS "group", sc.grade, coalesce(c.n, 0) AS n,
       CASE WHEN sc.grade <> 'no_overall_grade'
            THEN coalesce(c.n, 0) / sum(coalesce(c.n, 0)) FILTER (WHERE sc.grade <> 'no_overall_grade')
                                        OVER (PARTITION BY s.grp) END AS share
FROM shown s
CROSS JOIN scale sc
LEFT JOIN counts c ON c.grp = s.grp AND c.grade = sc.grade
ORDER BY s.sort, sc.grade_rank, sc.grade
