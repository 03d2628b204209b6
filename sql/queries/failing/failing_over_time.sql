-- Share failing and good or better, monthly, England and regions.
-- param area VARCHAR: judgement area (areas.area, or any_practice)
-- param framework VARCHAR NULL: SIF, ILACS, ... or NULL for any framework
-- param from_date DATE: first date of the series
-- param to_date DATE: last date of the series
SELECT * FROM failing_over_time($area, $from_date, $to_date, framework := $framework)
