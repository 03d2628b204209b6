-- title: Projected cycle completion as at Oct 2014 (seed 004: 3.5–4 years)
SELECT as_at, n_inspected, n_las, rate_per_month, projected_completion,
       completion_earliest, completion_latest,
       round(datediff('day', DATE '2013-11-01', projected_completion) / 365.25, 1)
           AS years_from_cycle_start
FROM cycle_projection('SIF', DATE '2014-10-31', DATE '2014-10-31')
