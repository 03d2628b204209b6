-- An LA's statistical neighbours (one vintage, the LA itself left out), its region and England
-- side by side: LAs by grade in an area as at a date (Statistical neighbours page, `export
-- neighbours-comparison`). Each group counts the LAs existing on the date that have a grade
-- (latest judgement, secondary evidence included, 'not judged' left out); a group with no
-- graded LA is left out. Every four-point grade appears in every group shown, zeros included;
-- adequate and the no-overall-grade category (LAs inspected since the April 2026 change) only
-- where some group has them. share is of the group's LAs with a current grade (NULL for the
-- no-overall-grade category). Groups come in the order neighbours, region, England. The
-- neighbours are read LA by LA, the region and England from the counts kept at build (issue 14;
-- the definition, over every LA's latest judgement, is in tests/sql/queries_by_definition).
-- param area VARCHAR: judgement area (areas.area, or any_practice)
-- param as_at DATE: the date the figure is 'as at'
-- param framework VARCHAR NULL: SIF, ILACS, ... or NULL for any framework
-- param la_code VARCHAR: DfE 3-digit LA code
-- param vintage VARCHAR: statistical neighbour set ('in_force': the one in force on as_at)
-- param superseded VARCHAR: 'not_current' or 'carry_forward' (see national/grade_distribution)
-- param wording VARCHAR: 'at_the_time' or 'current'
WITH chosen AS (
    SELECT CASE WHEN $vintage = 'in_force'
                THEN (SELECT nv.vintage FROM neighbour_vintage_on(CAST($as_at AS DATE)) nv)
                ELSE $vintage END AS v
),
focus AS (
    SELECT name, nullif(region_name, '') AS region_name FROM local_authorities
    WHERE la_code = $la_code
),
-- the grade each LA shows, from the grade as given (the wording asked for; 'not judged' left out)
shown_grade AS (
    SELECT g.grade AS given, sg.grade
    FROM grades g
    JOIN grades sg
      ON sg.grade = CASE WHEN $wording = 'current' THEN coalesce(g.current_wording, g.grade)
                         WHEN $wording = 'at_the_time' THEN g.grade
                         ELSE error('wording must be ''at_the_time'' or ''current''') END
    WHERE sg.grade <> 'not_judged'
),
-- the neighbours' grades (latest_judgements of those LAs: their intervals covering the date)
neighbours_graded AS (
    SELECT sg.grade
    FROM las_on(CAST($as_at AS DATE)) l
    JOIN judgement_intervals($area, framework := $framework, superseded := $superseded) w
      ON w.la_code = l.la_code AND w.valid_from <= CAST($as_at AS DATE)
     AND (w.valid_to IS NULL OR w.valid_to >= CAST($as_at AS DATE))
    JOIN shown_grade sg ON sg.given = w.grade
    WHERE l.la_code IN (SELECT neighbour_la_code FROM statistical_neighbours
                        WHERE la_code = $la_code AND vintage = (SELECT v FROM chosen))
),
-- the region's and England's: the LAs holding each grade per region, counted at build
-- (judgement_counts_as_at), not every LA's judgement
region_counts AS (
    SELECT jc.region_name, sg.grade, sum(jc.n) AS n
    FROM judgement_counts_as_at(CAST($as_at AS DATE), framework := $framework,
                                superseded := $superseded) jc
    JOIN shown_grade sg ON sg.given = jc.grade
    WHERE jc.area = $area
    GROUP BY ALL
),
counts AS (
    SELECT 1 AS sort, 'Statistical neighbours of ' || f.name AS grp, g.grade, count(*) AS n
    FROM neighbours_graded g CROSS JOIN focus f
    GROUP BY ALL
    UNION ALL
    SELECT 2, f.region_name, c.grade, CAST(sum(c.n) AS BIGINT)
    FROM region_counts c JOIN focus f ON c.region_name = f.region_name
    GROUP BY ALL
    UNION ALL
    SELECT 3, 'England', c.grade, CAST(sum(c.n) AS BIGINT) FROM region_counts c GROUP BY ALL
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
