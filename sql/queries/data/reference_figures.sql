-- Figures published in papers and official releases, to reconcile against.
-- params: none
SELECT * FROM reference_figures ORDER BY figure_id
