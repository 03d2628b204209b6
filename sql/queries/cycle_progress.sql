-- Cumulative LAs with a published inspection under a framework, monthly.
SELECT * FROM cycle_progress($framework, $from_date, $to_date, cycle_start := $cycle_start)
