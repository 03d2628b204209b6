-- title: Grade distribution as at a date (seed 000: SIF, 10 Nov 2017)
-- Latest SIF overall effectiveness grade of every LA, as at 10 November 2017
SELECT grade, n, round(100 * share, 1) AS pct, n_judged, n_las
FROM grade_distribution(DATE '2017-11-10', 'overall_effectiveness', framework := 'SIF')
