-- Every LA existing on a date with a grade in an area (latest judgement, 'not judged' left
-- out; an LA inspected since the April 2026 change is 'no_overall_grade' by default, or its
-- previous grade with is_superseded): the hex map's colours (Statistical neighbours page,
-- `export hexmap`).
-- param area VARCHAR: judgement area (areas.area, or any_practice)
-- param as_at DATE: the date the figure is 'as at'
-- param framework VARCHAR NULL: SIF, ILACS, ... or NULL for any framework
-- param superseded VARCHAR: 'not_current' or 'carry_forward' (see national/grade_distribution)
-- param wording VARCHAR: 'at_the_time' or 'current'
SELECT la_code, la_name AS name, grade, is_superseded
FROM latest_judgements(CAST($as_at AS DATE), $area, framework := $framework,
                       superseded := $superseded, wording := $wording)
WHERE grade IS NOT NULL AND grade <> 'not_judged'
ORDER BY grade_rank, la_name
