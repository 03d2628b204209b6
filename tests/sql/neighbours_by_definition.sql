-- The neighbour figures by their definition (sql/05_macros.sql before issue 14):
-- neighbour_judgements joins the group to latest_judgements of every LA. sql/05_macros.sql reads
-- the group's LAs' intervals only; tests/test_scale_equivalence.py loads this over a copy of the
-- built database and asserts that every named query answers the same.

CREATE OR REPLACE MACRO neighbour_judgements(la_code, as_at, area, vintage := 'current',
                                  framework := NULL, superseded := 'not_current',
                                  wording := 'at_the_time') AS TABLE
WITH chosen AS (
    -- (the parameter `vintage` would shadow a column of that name: the subquery is aliased)
    SELECT CASE WHEN vintage = 'in_force' THEN (SELECT nv.vintage FROM neighbour_vintage_on(as_at) nv)
                ELSE vintage END AS v
),
grp AS (
    SELECT la_code AS member, 0 AS rank, NULL::VARCHAR AS closeness
    UNION ALL
    SELECT s.neighbour_la_code, s.rank, s.closeness FROM statistical_neighbours s
    WHERE s.la_code = la_code AND s.vintage = (SELECT v FROM chosen)
)
SELECT grp.rank, grp.member = la_code AS is_focus, lj.*, grp.closeness,
       (SELECT v FROM chosen) AS vintage_used
FROM grp JOIN latest_judgements(as_at, area, framework := framework, superseded := superseded,
                                wording := wording) lj ON lj.la_code = grp.member
ORDER BY grp.rank;
