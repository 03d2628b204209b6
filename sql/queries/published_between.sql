-- Inspections published in a window with their grade in an area (seed 004's basis).
SELECT * FROM published_between($area, $from_date, $to_date, framework := $framework)
ORDER BY published_date, la_name
