-- An LA and its statistical neighbours with their latest judgement in an area.
-- param area VARCHAR: judgement area (areas.area, or any_practice)
-- param as_at DATE: the date the figure is 'as at'
-- param framework VARCHAR NULL: SIF, ILACS, ... or NULL for any framework
-- param la_code VARCHAR: DfE 3-digit LA code
-- param vintage VARCHAR: statistical neighbour set
SELECT * FROM neighbour_judgements($la_code, $as_at, $area, vintage := $vintage, framework := $framework)
