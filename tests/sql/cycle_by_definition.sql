-- The cycle figures by their definition (sql/05_macros.sql before issue 14): cycle progress
-- counted over every month end and every LA, the next ILACS inspection due from each LA's
-- inspections ranked afresh. sql/05_macros.sql counts change events and reads intervals kept at
-- build instead; tests/test_scale_equivalence.py loads these over a copy of the built database
-- and asserts that every named query answers the same.

CREATE OR REPLACE MACRO cycle_progress(framework, from_date, to_date, cycle_start := NULL) AS TABLE
WITH dates AS (SELECT month_end AS as_at FROM month_ends(from_date, to_date)),
firsts AS (
    SELECT la_code, min(coalesce(published_date, published_by_bound)) AS first_published
    FROM inspections
    WHERE is_inspection AND inspections.framework = framework
      AND coalesce(published_date, published_by_bound) IS NOT NULL
      AND (cycle_start IS NULL
           OR coalesce(start_date, end_date, published_date, published_by_bound) >= cycle_start)
    GROUP BY la_code
)
SELECT d.as_at,
       count(f.la_code) AS n_inspected,
       count(*) AS n_las,
       count(f.la_code) / count(*) AS share
FROM dates d
JOIN local_authorities l
  ON (l.valid_from IS NULL OR l.valid_from <= d.as_at) AND (l.valid_to IS NULL OR l.valid_to >= d.as_at)
LEFT JOIN firsts f ON f.la_code = l.la_code AND f.first_published <= d.as_at
GROUP BY d.as_at ORDER BY d.as_at;

CREATE OR REPLACE MACRO ilacs_next_due(as_at, interval_months := 36) AS TABLE
WITH last AS (
    SELECT la_code, arg_max(inspection_id, coalesce(end_date, published_date)) AS inspection_id,
           max(coalesce(end_date, published_date)) AS last_inspected
    FROM inspections
    WHERE framework = 'ILACS' AND is_inspection AND published_date <= as_at
    GROUP BY la_code
)
SELECT l.la_code, l.name AS la_name, l.region_name, last.inspection_id, i.inspection_type,
       last.last_inspected, j.grade AS last_overall,
       CAST(last.last_inspected + to_months(interval_months) AS DATE) AS next_due,
       CAST(last.last_inspected + to_months(interval_months) AS DATE) < as_at AS overdue,
       datediff('day', last.last_inspected, as_at) AS days_since_last
FROM las_on(as_at) l
LEFT JOIN last USING (la_code)
LEFT JOIN inspections i ON i.inspection_id = last.inspection_id
LEFT JOIN judgements j ON j.inspection_id = last.inspection_id AND j.area = 'overall_effectiveness'
ORDER BY next_due NULLS FIRST, l.name;
