-- Figures published about cycle completion (seeds 000 and 004) for a framework.
-- param framework VARCHAR NULL: SIF, ILACS, ... or NULL for any framework
SELECT figure_id, source, description, basis, as_at, window_start, value, unit
FROM reference_figures
WHERE basis IN ('cycle_share', 'cycle_years', 'cycle_count') AND framework = $framework
ORDER BY as_at, figure_id
