-- LAs existing on $as_at with no published inspection under $framework (since $cycle_start,
-- if given) by then, with what the collection does hold about them (Cycle completion page).
-- Counts like cycle_progress: an undated inspection counts from its publication bound (the
-- date of a paper that already lists it).
-- param as_at DATE: the date the figure is 'as at'
-- param cycle_start DATE NULL: count only inspections starting on or after this date (NULL: every one)
-- The Cycle completion page reads the first max_rows of them (by name) rather than every LA not
-- yet inspected (at 1000 times today's LAs, 142,000 rows); n_remaining says how many there are
-- in all, and only the LAs returned are joined to their inspections.
-- param framework VARCHAR NULL: SIF, ILACS, ... or NULL for any framework
-- param max_rows INTEGER NULL: how many rows at most (NULL: every LA)
WITH done AS (
    SELECT DISTINCT la_code FROM inspections
    WHERE framework = $framework AND is_inspection
      AND coalesce(published_date, published_by_bound) <= CAST($as_at AS DATE)
      AND (CAST($cycle_start AS DATE) IS NULL
           OR coalesce(start_date, end_date, published_date, published_by_bound)
              >= CAST($cycle_start AS DATE))
),
-- the LAs not yet inspected first, then their inspections (not every LA's joined, then dropped)
remaining AS (
    SELECT l.la_code, l.name, l.region_name, count(*) OVER () AS n_remaining
    FROM las_on(CAST($as_at AS DATE)) l
    WHERE l.la_code NOT IN (SELECT la_code FROM done)
    ORDER BY l.name, l.la_code
    LIMIT $max_rows
)
SELECT l.la_code, l.name AS la_name, l.region_name,
       count(i.inspection_id) FILTER (WHERE i.published_date IS NULL
                                        AND i.published_by_bound IS NULL) AS undated_inspections,
       string_agg(DISTINCT i.evidence, ', ' ORDER BY i.evidence) AS evidence_held,
       l.n_remaining
FROM remaining l
LEFT JOIN inspections i ON i.la_code = l.la_code AND i.framework = $framework AND i.is_inspection
GROUP BY ALL
ORDER BY la_name, l.la_code
