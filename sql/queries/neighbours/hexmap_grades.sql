-- Every LA existing on a date with a grade in an area (latest judgement, 'not judged' left
-- out): the hex map's colours (Statistical neighbours page, `export hexmap`).
-- param area VARCHAR: judgement area (areas.area, or any_practice)
-- param as_at DATE: the date the figure is 'as at'
-- param framework VARCHAR NULL: SIF, ILACS, ... or NULL for any framework
SELECT la_code, la_name AS name, grade
FROM latest_judgements(CAST($as_at AS DATE), $area, framework := $framework)
WHERE grade IS NOT NULL AND grade <> 'not_judged'
ORDER BY grade_rank, la_name
