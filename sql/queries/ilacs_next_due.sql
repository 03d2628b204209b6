-- When each LA is next due an ILACS inspection, and which are overdue.
SELECT * FROM ilacs_next_due($as_at)
