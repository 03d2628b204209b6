-- Figures a paper published about exactly this window of reports (reference_figures, e.g. seed
-- 004's section 5), for a briefing to set beside the figures computed from the reports.
-- param framework VARCHAR NULL: SIF, ILACS, LAC2013 or NULL for any children's services framework
-- param from_date DATE: reports published on or after this date
-- param to_date DATE: reports published on or before this date
SELECT figure_id, source, description, basis, area, grade, value, unit
FROM reference_figures
WHERE basis IN ('published_in_window', 'cycle_share', 'cycle_years')
  AND framework IS NOT DISTINCT FROM $framework
  AND window_start = $from_date AND as_at = $to_date
ORDER BY figure_id
