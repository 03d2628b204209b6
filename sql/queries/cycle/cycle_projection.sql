-- Projected completion of a cycle at each month end (a backtest when the range is long).
-- param cycle_start DATE NULL: count only inspections starting on or after this date (NULL: every one)
-- param framework VARCHAR NULL: SIF, ILACS, ... or NULL for any framework
-- param from_date DATE: first date of the series
-- param to_date DATE: last date of the series
-- param window_months INTEGER: months of first inspections the rate is taken over
SELECT * FROM cycle_projection($framework, $from_date, $to_date, cycle_start := $cycle_start,
                               window_months := $window_months)
