-- An LA and its statistical neighbours with their latest judgement in an area; vintage_used
-- names the set ('in_force' resolves to the one in force on as_at), closeness its band.
-- param area VARCHAR: judgement area (areas.area, or any_practice)
-- param as_at DATE: the date the figure is 'as at'
-- param framework VARCHAR NULL: SIF, ILACS, ... or NULL for any framework
-- param la_code VARCHAR: DfE 3-digit LA code
-- param vintage VARCHAR: statistical neighbour set ('current', 'previous', '2021', '2025' or 'in_force')
-- param superseded VARCHAR: 'not_current' or 'carry_forward' (see national/grade_distribution)
-- param wording VARCHAR: 'at_the_time' or 'current'
SELECT * FROM neighbour_judgements($la_code, $as_at, $area, vintage := $vintage,
                                   framework := $framework, superseded := $superseded,
                                   wording := $wording)
