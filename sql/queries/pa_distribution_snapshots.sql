-- England's grade distribution on the same month end each year from $from_date up to $as_at
-- (the last point is $as_at itself): the trend bars of the National picture page.
-- Basis: each LA's latest judgement published on or before each date.
WITH s AS (
    SELECT series_date, grade
    FROM judgements_as_at_series($area, $from_date, $as_at, framework := $framework)
    WHERE grade IS NOT NULL
      AND month(series_date) = month(CAST($as_at AS DATE))
),
counts AS (
    SELECT series_date, grade, count(*) AS n FROM s GROUP BY series_date, grade
)
SELECT strftime(series_date, '%-d %b %Y') AS "group", series_date AS as_at, grade, n,
       n / sum(n) OVER (PARTITION BY series_date) AS share
FROM counts
ORDER BY series_date, grade
