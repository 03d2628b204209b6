-- England's grade distribution on the same month end each year from $from_date up to $as_at
-- (the last point is $as_at itself): the trend bars of the National picture page.
-- Basis: each LA's latest judgement published on or before each date.
SELECT strftime(as_at, '%-d %b %Y') AS "group", as_at, grade, n, share
FROM grade_distribution_over_time($area, $from_date, $as_at, framework := $framework)
WHERE geography = 'England'
  AND month(as_at) = month(CAST($as_at AS DATE))
ORDER BY as_at, grade
