-- title: Share failing over time, England
-- Share of LAs whose latest overall grade is requires improvement or inadequate
SELECT month, n_judged, n_failing, round(100 * share_failing, 1) AS pct_failing
FROM failing_over_time('overall_effectiveness', DATE '2014-03-31', current_date)
WHERE geography = 'England'
ORDER BY month
