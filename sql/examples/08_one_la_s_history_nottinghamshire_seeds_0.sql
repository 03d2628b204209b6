-- title: One LA's history (Nottinghamshire, seeds 000 and 001)
SELECT framework, inspection_type, end_date, published_date, overall_effectiveness,
       leadership, help_and_protection, children_looked_after,
       children_in_care_and_care_leavers, care_leavers, evidence
FROM inspection_summary
WHERE la_code = '891'
ORDER BY coalesce(end_date, published_date)
