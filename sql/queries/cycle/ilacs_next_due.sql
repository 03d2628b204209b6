-- When each LA is next due an ILACS inspection, and which are overdue.
-- param as_at DATE: the date the figure is 'as at'
SELECT * FROM ilacs_next_due($as_at)
