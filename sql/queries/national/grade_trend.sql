-- England's grade shares at every month end (National picture trend, monthly). share is of LAs
-- with a current grade; the no-overall-grade category (LAs inspected since the April 2026
-- change) has its count and a NULL share.
-- param area VARCHAR: judgement area (areas.area, or any_practice)
-- param as_at DATE: the date the figure is 'as at'
-- param framework VARCHAR NULL: SIF, ILACS, ... or NULL for any framework
-- param from_date DATE: first date of the series
-- param include_secondary BOOLEAN: count grades resting on secondary evidence
-- param superseded VARCHAR: 'not_current' or 'carry_forward' (see national/grade_distribution)
-- param wording VARCHAR: 'at_the_time' or 'current'
SELECT as_at, grade, n, share
FROM grade_distribution_over_time($area, $from_date, $as_at, framework := $framework,
                                  include_secondary := $include_secondary,
                                  superseded := $superseded, wording := $wording)
WHERE geography = 'England' AND grade <> 'not_judged'
ORDER BY as_at, grade
