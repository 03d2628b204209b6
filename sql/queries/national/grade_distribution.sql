-- Grade distribution as at a date (National picture page, `export national`, reconcile), with
-- how many of the counted LAs carry a superseded grade forward (superseded := 'carry_forward').
-- param area VARCHAR: judgement area (areas.area, or any_practice)
-- param as_at DATE: the date the figure is 'as at'
-- param framework VARCHAR NULL: SIF, ILACS, ... or NULL for any framework
-- param include_secondary BOOLEAN: count grades resting on secondary evidence
-- param published_by DATE NULL: publication cut-off, NULL for as_at itself
-- param which VARCHAR: 'latest' or 'first' inspection under the framework
-- param superseded VARCHAR: 'not_current' (an LA inspected since the April 2026 change is 'no_overall_grade') or 'carry_forward' (its previous grade, flagged)
-- param wording VARCHAR: 'at_the_time' (adequate before 2013) or 'current' (Ofsted's current wording)
SELECT *
FROM grade_distribution($as_at, $area, framework := $framework,
                        published_by := $published_by, which := $which,
                        include_secondary := $include_secondary,
                        superseded := $superseded, wording := $wording)
ORDER BY grade_rank, grade
