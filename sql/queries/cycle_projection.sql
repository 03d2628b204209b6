-- Projected completion of a cycle at each month end (a backtest when the range is long).
SELECT * FROM cycle_projection($framework, $from_date, $to_date, cycle_start := $cycle_start,
                               window_months := $window_months)
