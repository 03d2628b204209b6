-- Grade distribution as at a date split by region ($group_by = 'region') or LA type
-- ('la_type'), with England first as the benchmark row (National picture page).
-- param area VARCHAR: judgement area (areas.area, or any_practice)
-- param as_at DATE: the date the figure is 'as at'
-- param framework VARCHAR NULL: SIF, ILACS, ... or NULL for any framework
-- param group_by VARCHAR: 'region' or 'la_type'
-- param include_secondary BOOLEAN: count grades resting on secondary evidence
-- param published_by DATE NULL: publication cut-off, NULL for as_at itself
-- param which VARCHAR: 'latest' or 'first' inspection under the framework
WITH lj AS (
    SELECT CASE WHEN $group_by = 'la_type' THEN coalesce(la_type, 'Type not recorded')
                ELSE coalesce(region_name, 'Region not recorded') END AS grp,
           grade
    FROM judgements_as_at_series($area, $as_at, $as_at, framework := $framework,
                                 published_by := $published_by, which := $which,
                                 include_secondary := $include_secondary)
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
