-- The LAs counted (national/latest_judgements) whose grade rests on secondary evidence only
-- (news or council web pages, no Ofsted document in the collection): the National page names
-- them under its headline. Those rows only: every LA's is 150,000 rows at 1000 times today's.
-- param area VARCHAR: judgement area (areas.area, or any_practice)
-- param as_at DATE: the date the figure is 'as at'
-- param framework VARCHAR NULL: SIF, ILACS, ... or NULL for any framework
-- param include_secondary BOOLEAN: count grades resting on secondary evidence
-- param published_by DATE NULL: publication cut-off, NULL for as_at itself
-- param which VARCHAR: 'latest' or 'first' inspection under the framework
-- param superseded VARCHAR: 'not_current' or 'carry_forward' (see national/grade_distribution)
-- param wording VARCHAR: 'at_the_time' or 'current'
SELECT la_code, la_name
FROM judgements_as_at($as_at, $area, framework := $framework,
                      published_by := $published_by, which := $which,
                      include_secondary := $include_secondary,
                      superseded := $superseded, wording := $wording)
WHERE evidence = 'secondary'
ORDER BY grade_rank NULLS LAST, la_name
