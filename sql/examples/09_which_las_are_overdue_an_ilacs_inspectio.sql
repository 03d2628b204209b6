-- title: Which LAs are overdue an ILACS inspection?
SELECT la_name, region_name, inspection_type, last_inspected, last_overall, next_due
FROM ilacs_next_due(current_date)
WHERE overdue
ORDER BY next_due
