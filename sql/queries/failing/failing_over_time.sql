-- Share requiring improvement or inadequate ("failing" in the seed papers; adequate, the
-- pre-2013 scale's third grade, counts with them), share inadequate alone, and share good or
-- better, monthly, England and regions. LAs with no overall grade since the April 2026 change
-- are counted in n_no_overall_grade, outside the shares, or with superseded := 'carry_forward'
-- under their previous grade (n_superseded). n_judged is the base of every share: the chart
-- shows it beside each month and draws a share only from a minimum of judged LAs
-- (etl/figures/chart.py, MIN_JUDGED_FOR_SHARE).
-- param area VARCHAR: judgement area (areas.area, or any_practice)
-- param framework VARCHAR NULL: SIF, ILACS, ... or NULL for any framework
-- param from_date DATE: first date of the series
-- param to_date DATE: last date of the series
-- param superseded VARCHAR: 'not_current' or 'carry_forward' (see national/grade_distribution)
-- param wording VARCHAR: 'at_the_time' or 'current'
WITH inadequate AS (  -- inadequate alone, from the same judgement intervals
    SELECT as_at AS month, geography, n AS n_inadequate
    FROM grade_distribution_over_time($area, $from_date, $to_date, framework := $framework,
                                      superseded := $superseded, wording := $wording)
    WHERE grade = 'inadequate'
)
SELECT f.month, f.geography, f.n_las, f.n_judged, f.n_failing,
       CAST(coalesce(i.n_inadequate, 0) AS BIGINT) AS n_inadequate,
       f.n_good_or_better, f.share_failing,
       coalesce(i.n_inadequate, 0) / nullif(f.n_judged, 0) AS share_inadequate,
       f.share_good_or_better, f.n_adequate, f.n_no_overall_grade, f.n_superseded
FROM failing_over_time($area, $from_date, $to_date, framework := $framework,
                       superseded := $superseded, wording := $wording) f
LEFT JOIN inadequate i ON i.month = f.month AND i.geography = f.geography
ORDER BY f.month, f.geography
