-- One LA's local picture as at a date: its children's services judgements, its area SEND
-- outcome and its providers' share good or better by type (with seed 003's band), each with its
-- date and source, beside its statistical neighbours, its region and England (Local area page).
-- param la_code VARCHAR: DfE 3-digit LA code
-- param as_at DATE: the date the figure is 'as at'
-- param vintage VARCHAR: statistical neighbour set ('current' or 'previous')
-- param framework VARCHAR NULL: children's services framework of the judgements ('ILACS'), NULL for any
SELECT * FROM local_area_summary($la_code, $as_at, vintage := $vintage, framework := $framework)
