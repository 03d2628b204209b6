-- The definition of sql/queries/national/grade_distribution.sql (the query before issue 14 made
-- the macro count n_superseded from its own rows): grade distribution as at a date, with
-- how many of the counted LAs carry a superseded grade forward (superseded := 'carry_forward').
-- param area VARCHAR: judgement area (areas.area, or any_practice)
-- param as_at DATE: the date the figure is 'as at'
-- param framework VARCHAR NULL: SIF, ILACS, ... or NULL for any framework
-- param include_secondary BOOLEAN: count grades resting on secondary evidence
-- param published_by DATE NULL: publication cut-off, NULL for as_at itself
-- param which VARCHAR: 'latest' or 'first' inspection under the framework
-- param superseded VARCHAR: 'not_current' (an LA inspected since the April 2026 change is 'no_overall_grade') or 'carry_forward' (its previous grade, flagged)
-- param wording VARCHAR: 'at_the_time' (adequate before 2013) or 'current' (Ofsted's current wording)
WITH lj AS (
    SELECT * FROM judgements_as_at($as_at, $area, framework := $framework,
                                   published_by := $published_by, which := $which,
                                   include_secondary := $include_secondary,
                                   superseded := $superseded, wording := $wording)
)
-- (the macro now counts n_superseded itself, from the same rows; here it is counted apart again)
SELECT d.* EXCLUDE (n_superseded),
       (SELECT count(*) FILTER (WHERE is_superseded) FROM lj) AS n_superseded
FROM grade_distribution($as_at, $area, framework := $framework,
                        published_by := $published_by, which := $which,
                        include_secondary := $include_secondary,
                        superseded := $superseded, wording := $wording) d
ORDER BY d.grade_rank, d.grade
