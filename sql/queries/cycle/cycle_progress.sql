-- Cumulative LAs with a published inspection under a framework, monthly.
-- param cycle_start DATE NULL: count only inspections starting on or after this date (NULL: every one)
-- param framework VARCHAR NULL: SIF, ILACS, ... or NULL for any framework
-- param from_date DATE: first date of the series
-- param to_date DATE: last date of the series
SELECT * FROM cycle_progress($framework, $from_date, $to_date, cycle_start := $cycle_start)
