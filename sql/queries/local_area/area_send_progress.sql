-- LAs inspected under the 2023 area SEND framework over time (monthly), of the LAs existing
-- then: the cycle-progress basis for area SEND.
-- param from_date DATE: first month
-- param to_date DATE: last date
SELECT * FROM cycle_progress('AREA_SEND', $from_date, $to_date, cycle_start := DATE '2023-01-01')
