-- What council papers' own tables say about the inspections published in a window (e.g. seed
-- 004's Annex 1): per paper, judgement area and grade, the number of those inspections it
-- lists with that grade. A briefing sets it beside the paper's text and the reports. Read from
-- paper_table_observations (sql/04_views.sql).
-- param framework VARCHAR NULL: SIF, ILACS, LAC2013 or NULL for any children's services framework
-- param from_date DATE: reports published on or after this date
-- param to_date DATE: reports published on or before this date
SELECT o.source_id, o.title, o.area, o.grade, count(*) AS n
FROM paper_table_observations o
-- (a join, not IN: the observations are the few, and their inspections filter the window's;
-- published_between gives one row per inspection)
JOIN published_between('overall_effectiveness', $from_date, $to_date, framework := $framework) pb
  ON pb.inspection_id = o.inspection_id
GROUP BY ALL
ORDER BY o.source_id, o.area, o.grade
