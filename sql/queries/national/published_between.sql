-- Inspections published in a window with their grade in an area (seed 004's basis).
-- param area VARCHAR: judgement area (areas.area, or any_practice)
-- param framework VARCHAR NULL: SIF, ILACS, ... or NULL for any framework
-- param from_date DATE: first date of the series
-- param to_date DATE: last date of the series
SELECT * FROM published_between($area, $from_date, $to_date, framework := $framework)
ORDER BY published_date, la_name
