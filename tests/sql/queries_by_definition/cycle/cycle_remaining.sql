-- The definition of sql/queries/cycle/cycle_remaining.sql: every LA joined with its inspections,
-- those already inspected dropped after (the query before issue 14).
-- LAs existing on $as_at with no published inspection under $framework (since $cycle_start,
-- if given) by then, with what the collection does hold about them (Cycle completion page).
-- Counts like cycle_progress: an undated inspection counts from its publication bound (the
-- date of a paper that already lists it).
-- param as_at DATE: the date the figure is 'as at'
-- param cycle_start DATE NULL: count only inspections starting on or after this date (NULL: every one)
-- param framework VARCHAR NULL: SIF, ILACS, ... or NULL for any framework
-- param max_rows INTEGER NULL: how many rows at most (NULL: every LA); the first by name, with
-- n_remaining, how many in all
WITH done AS (
    SELECT DISTINCT la_code FROM inspections
    WHERE framework = $framework AND is_inspection
      AND coalesce(published_date, published_by_bound) <= CAST($as_at AS DATE)
      AND (CAST($cycle_start AS DATE) IS NULL
           OR coalesce(start_date, end_date, published_date, published_by_bound)
              >= CAST($cycle_start AS DATE))
),
every_la AS (
    SELECT l.la_code, l.name AS la_name, l.region_name,
           count(i.inspection_id) FILTER (WHERE i.published_date IS NULL
                                            AND i.published_by_bound IS NULL) AS undated_inspections,
           string_agg(DISTINCT i.evidence, ', ' ORDER BY i.evidence) AS evidence_held
    FROM las_on(CAST($as_at AS DATE)) l
    LEFT JOIN inspections i ON i.la_code = l.la_code AND i.framework = $framework AND i.is_inspection
    WHERE l.la_code NOT IN (SELECT la_code FROM done)
    GROUP BY ALL
)
SELECT *, count(*) OVER () AS n_remaining FROM every_la
ORDER BY la_name, la_code
LIMIT $max_rows
