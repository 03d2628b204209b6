-- How many LAs cycle/ilacs_next_due lists, and how many of them are overdue, due within
-- $soon_days days (not overdue) or have no ILACS inspection yet: the Cycle completion page's
-- headline, counted here rather than over every LA's row handed to the page (at 1000 times
-- today's LAs that is 153,000 rows). n_shown_due: the LAs in any of the three.
-- param as_at DATE: the date the figure is 'as at'
-- param soon_days INTEGER: "due soon" means next due on or before as_at plus this many days
WITH due AS (
    SELECT overdue, last_inspected IS NULL AS never,
           NOT coalesce(overdue, false) AND next_due IS NOT NULL
           AND next_due <= CAST($as_at AS DATE) + CAST($soon_days AS INTEGER) AS due_soon
    FROM ilacs_next_due($as_at)
)
SELECT count(*) AS n_las,
       count(*) FILTER (WHERE overdue) AS n_overdue,
       count(*) FILTER (WHERE due_soon) AS n_due_soon,
       count(*) FILTER (WHERE never) AS n_never,
       count(*) FILTER (WHERE overdue OR due_soon OR never) AS n_shown_due
FROM due
