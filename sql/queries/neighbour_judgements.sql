-- An LA and its statistical neighbours with their latest judgement in an area.
SELECT * FROM neighbour_judgements($la_code, $as_at, $area, vintage := $vintage, framework := $framework)
