-- One LA's inspections and visits across frameworks, with its predecessors' (LA profile page).
-- param la_code VARCHAR: DfE 3-digit LA code
WITH family AS (
    SELECT $la_code AS la_code
    UNION
    SELECT predecessor_la_code FROM la_reorganisations WHERE successor_la_code = $la_code
)
SELECT s.* FROM inspection_summary s JOIN family f USING (la_code)
ORDER BY coalesce(s.end_date, s.start_date, s.published_date, s.published_by_bound) DESC NULLS LAST
