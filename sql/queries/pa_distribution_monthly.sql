-- England's grade counts at every month end from $from_date to $as_at, one row per month
-- (the National picture page's monthly series). Basis: latest judgement published by each date.
SELECT series_date AS as_at,
       count(*) AS las,
       count(grade) AS judged,
       count(*) FILTER (WHERE grade = 'outstanding') AS outstanding,
       count(*) FILTER (WHERE grade = 'good') AS good,
       count(*) FILTER (WHERE grade = 'requires_improvement') AS requires_improvement,
       count(*) FILTER (WHERE grade = 'inadequate') AS inadequate
FROM judgements_as_at_series($area, $from_date, $as_at, framework := $framework)
GROUP BY series_date
ORDER BY series_date
