-- title: Share failing by region, today
SELECT region_name, count(grade) AS n_judged,
       count(*) FILTER (WHERE g.is_failing) AS n_failing,
       round(100 * count(*) FILTER (WHERE g.is_failing) / count(grade), 1) AS pct_failing
FROM latest_judgements(current_date, 'overall_effectiveness') lj
LEFT JOIN grades g USING (grade)
GROUP BY region_name ORDER BY pct_failing DESC
