-- Every LA existing on as_at with its latest (or first) judgement in an area.
SELECT * EXCLUDE (series_date)
FROM judgements_as_at_series($area, $as_at, $as_at, framework := $framework,
                             published_by := $published_by, which := $which,
                             include_secondary := $include_secondary)
ORDER BY grade_rank NULLS LAST, la_name
