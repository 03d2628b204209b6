-- Grade distribution as at a date (National picture page, `export national`, reconcile).
-- param area VARCHAR: judgement area (areas.area, or any_practice)
-- param as_at DATE: the date the figure is 'as at'
-- param framework VARCHAR NULL: SIF, ILACS, ... or NULL for any framework
-- param include_secondary BOOLEAN: count grades resting on secondary evidence
-- param published_by DATE NULL: publication cut-off, NULL for as_at itself
-- param which VARCHAR: 'latest' or 'first' inspection under the framework
SELECT * FROM grade_distribution($as_at, $area, framework := $framework,
                                 published_by := $published_by, which := $which,
                                 include_secondary := $include_secondary)
