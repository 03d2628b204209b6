-- title: An LA against its statistical neighbours (Leicestershire, seed 003)
-- rank 0 is the LA itself; vintage := 'previous' for the older DfE set
SELECT rank, la_name, grade, framework, published_date
FROM neighbour_judgements('855', current_date, 'overall_effectiveness', vintage := 'current')
ORDER BY rank
