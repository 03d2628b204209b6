-- England's grade shares at every month end (National picture trend, monthly).
SELECT as_at, grade, n, share
FROM grade_distribution_over_time($area, $from_date, $as_at, framework := $framework,
                                  include_secondary := $include_secondary)
WHERE geography = 'England' AND grade <> 'not_judged'
ORDER BY as_at, grade
