-- The LAs whose current grade on the date is $grade (the National page names the inadequate
-- ones under its headline), alphabetically, at most $max_names of them, each row with how many
-- there are in all (n_total) so that a long list can say "and N more".
-- param area VARCHAR: judgement area (areas.area, or any_practice)
-- param as_at DATE: the date the figure is 'as at'
-- param framework VARCHAR NULL: SIF, ILACS, ... or NULL for any framework
-- param grade VARCHAR NULL: the grade (grade_scale.grade), NULL for every LA with a grade
-- param include_secondary BOOLEAN: count grades resting on secondary evidence
-- param max_names INTEGER: the most LAs returned
-- param published_by DATE NULL: publication cut-off, NULL for as_at itself
-- param which VARCHAR: 'latest' or 'first' inspection under the framework
-- param superseded VARCHAR: 'not_current' or 'carry_forward' (see national/grade_distribution)
-- param wording VARCHAR: 'at_the_time' or 'current'
SELECT la_code, la_name, region_name, count(*) OVER () AS n_total
FROM judgements_as_at($as_at, $area, framework := $framework,
                      published_by := $published_by, which := $which,
                      include_secondary := $include_secondary,
                      superseded := $superseded, wording := $wording)
WHERE grade = $grade OR ($grade IS NULL AND grade IS NOT NULL)
ORDER BY la_name
LIMIT $max_names
