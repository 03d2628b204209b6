-- Grade distribution as at a date split by region ($group_by = 'region') or LA type
-- ('la_type'), with England first as the benchmark row (National picture page).
WITH lj AS (
    SELECT CASE WHEN $group_by = 'la_type' THEN coalesce(la_type, 'Type not recorded')
                ELSE coalesce(region_name, 'Region not recorded') END AS grp,
           grade
    FROM judgements_as_at_series($area, $as_at, $as_at, framework := $framework,
                                 published_by := $published_by, which := $which)
    WHERE grade IS NOT NULL
),
g AS (
    SELECT 'England' AS grp, grade FROM lj
    UNION ALL
    SELECT grp, grade FROM lj
),
counts AS (
    SELECT grp, grade, count(*) AS n FROM g GROUP BY grp, grade
)
SELECT grp AS "group", grade, n, n / sum(n) OVER (PARTITION BY grp) AS share
FROM counts
ORDER BY grp <> 'England', grp, grade
