-- national/latest_judgements for the LAs named only (the National page's LAs a release counts
-- with a later report than its cut-off allows), not every LA's.
-- param area VARCHAR: judgement area (areas.area, or any_practice)
-- param as_at DATE: the date the figure is 'as at'
-- param framework VARCHAR NULL: SIF, ILACS, ... or NULL for any framework
-- param include_secondary BOOLEAN: count grades resting on secondary evidence
-- param published_by DATE NULL: publication cut-off, NULL for as_at itself
-- param which VARCHAR: 'latest' or 'first' inspection under the framework
-- param superseded VARCHAR: 'not_current' or 'carry_forward' (see national/grade_distribution)
-- param wording VARCHAR: 'at_the_time' or 'current'
-- param las VARCHAR NULL: comma-separated DfE codes of the LAs to keep (NULL: every LA)
SELECT *
FROM judgements_as_at($as_at, $area, framework := $framework,
                      published_by := $published_by, which := $which,
                      include_secondary := $include_secondary,
                      superseded := $superseded, wording := $wording)
WHERE $las IS NULL OR list_contains(string_split($las, ','), la_code)
ORDER BY grade_rank NULLS LAST, la_name
