SELECT * FROM reference_figures ORDER BY figure_id
