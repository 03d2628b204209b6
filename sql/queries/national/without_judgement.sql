-- The LAs existing on as_at with no judgement in the area on this basis (national/
-- latest_judgements with no grade): not yet inspected, report not yet published, or missing
-- from the collection (National page). Those rows only, not every LA's.
-- param area VARCHAR: judgement area (areas.area, or any_practice)
-- param as_at DATE: the date the figure is 'as at'
-- param framework VARCHAR NULL: SIF, ILACS, ... or NULL for any framework
-- param include_secondary BOOLEAN: count grades resting on secondary evidence
-- param published_by DATE NULL: publication cut-off, NULL for as_at itself
-- param which VARCHAR: 'latest' or 'first' inspection under the framework
-- param superseded VARCHAR: 'not_current' or 'carry_forward' (see national/grade_distribution)
-- param wording VARCHAR: 'at_the_time' or 'current'
SELECT la_code, la_name, region_name, la_type
FROM judgements_as_at($as_at, $area, framework := $framework,
                      published_by := $published_by, which := $which,
                      include_secondary := $include_secondary,
                      superseded := $superseded, wording := $wording)
WHERE grade IS NULL
ORDER BY la_name
