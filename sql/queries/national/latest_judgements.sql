-- Every LA existing on as_at with its latest (or first) judgement in an area; an LA inspected
-- since the April 2026 change has grade 'no_overall_grade' (or, carried forward, its previous
-- grade with is_superseded), previous_grade and no_overall_since.
-- param area VARCHAR: judgement area (areas.area, or any_practice)
-- param as_at DATE: the date the figure is 'as at'
-- param framework VARCHAR NULL: SIF, ILACS, ... or NULL for any framework
-- param include_secondary BOOLEAN: count grades resting on secondary evidence
-- param published_by DATE NULL: publication cut-off, NULL for as_at itself
-- param which VARCHAR: 'latest' or 'first' inspection under the framework
-- param superseded VARCHAR: 'not_current' or 'carry_forward' (see national/grade_distribution)
-- param wording VARCHAR: 'at_the_time' or 'current'
SELECT *
FROM judgements_as_at($as_at, $area, framework := $framework,
                      published_by := $published_by, which := $which,
                      include_secondary := $include_secondary,
                      superseded := $superseded, wording := $wording)
ORDER BY grade_rank NULLS LAST, la_name
