-- title: Cycle progress (SIF)
-- LAs with a published SIF inspection, month by month
SELECT as_at, n_inspected, n_las, round(100 * share, 1) AS pct_inspected
FROM cycle_progress('SIF', DATE '2013-11-01', DATE '2018-06-30')
