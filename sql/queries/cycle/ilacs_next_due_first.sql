-- The first max_rows rows of cycle/ilacs_next_due, in its order (the next due first, those
-- never inspected before them), with due_soon (next due within $soon_days days, not overdue);
-- only_due: only the LAs overdue, due soon or with no ILACS inspection yet. The rows the
-- Cycle completion page's table shows (cycle/ilacs_next_due_counts counts them all).
-- param as_at DATE: the date the figure is 'as at'
-- param soon_days INTEGER: "due soon" means next due on or before as_at plus this many days
-- param only_due BOOLEAN: keep only the LAs overdue, due soon or never inspected under ILACS
-- param max_rows INTEGER: how many rows at most
WITH due AS (
    SELECT *,
           NOT coalesce(overdue, false) AND next_due IS NOT NULL
           AND next_due <= CAST($as_at AS DATE) + CAST($soon_days AS INTEGER) AS due_soon
    FROM ilacs_next_due($as_at)
)
SELECT * FROM due
WHERE NOT $only_due OR overdue OR due_soon OR last_inspected IS NULL
ORDER BY next_due NULLS FIRST, la_name, la_code
LIMIT $max_rows
