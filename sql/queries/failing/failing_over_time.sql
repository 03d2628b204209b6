-- Share failing and good or better, monthly, England and regions (adequate fails; LAs with no
-- overall grade since the April 2026 change are counted in n_no_overall_grade, outside the
-- shares, or with superseded := 'carry_forward' under their previous grade, n_superseded).
-- param area VARCHAR: judgement area (areas.area, or any_practice)
-- param framework VARCHAR NULL: SIF, ILACS, ... or NULL for any framework
-- param from_date DATE: first date of the series
-- param to_date DATE: last date of the series
-- param superseded VARCHAR: 'not_current' or 'carry_forward' (see national/grade_distribution)
-- param wording VARCHAR: 'at_the_time' or 'current'
SELECT * FROM failing_over_time($area, $from_date, $to_date, framework := $framework,
                                superseded := $superseded, wording := $wording)
