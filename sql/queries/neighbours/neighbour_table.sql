-- An LA and its statistical neighbours (one vintage) with each one's latest graded inspection
-- published by $as_at (optionally under one framework) and that inspection's grades side by
-- side (Statistical neighbours page). rank 0 is the LA itself. LEFT JOINs keep a neighbour
-- with no inspection (or one abolished since) as a row rather than dropping it.
-- param as_at DATE: the date the figure is 'as at'
-- param framework VARCHAR NULL: SIF, ILACS, ... or NULL for any framework
-- param la_code VARCHAR: DfE 3-digit LA code
-- param vintage VARCHAR: statistical neighbour set
WITH grp AS (
    SELECT CAST($la_code AS VARCHAR) AS la_code, 0 AS rank
    UNION ALL
    SELECT neighbour_la_code, rank FROM statistical_neighbours
    WHERE la_code = $la_code AND vintage = $vintage
),
insp AS (
    SELECT s.*,
           row_number() OVER (PARTITION BY s.la_code
                              ORDER BY coalesce(s.end_date, s.published_date) DESC,
                                       s.published_date DESC, s.inspection_id) AS rn
    FROM inspection_summary s
    WHERE s.la_code IN (SELECT la_code FROM grp)
      AND s.is_inspection
      AND s.published_date <= CAST($as_at AS DATE)
      AND coalesce(s.end_date, s.published_date) <= CAST($as_at AS DATE)
      AND (CAST($framework AS VARCHAR) IS NULL OR s.framework = $framework)
      AND coalesce(s.overall_effectiveness, s.leadership, s.help_and_protection,
                   s.children_looked_after, s.children_in_care_and_care_leavers) IS NOT NULL
)
SELECT grp.rank, grp.la_code, l.name AS la_name, l.region_name, l.valid_to,
       i.framework, i.inspection_type, i.start_date, i.end_date, i.published_date,
       i.overall_effectiveness, i.leadership, i.help_and_protection, i.children_looked_after,
       i.children_in_care_and_care_leavers, i.care_leavers, i.adoption, i.lscb,
       i.evidence, i.has_conflict, i.report_url, i.inspection_id
FROM grp
LEFT JOIN local_authorities l ON l.la_code = grp.la_code
LEFT JOIN insp i ON i.la_code = grp.la_code AND i.rn = 1
ORDER BY grp.rank
