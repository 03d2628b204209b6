-- What council papers' own tables say about the inspections published in a window (e.g. seed
-- 004's Annex 1): per paper, judgement area and grade, the number of those inspections it
-- lists with that grade. A briefing sets it beside the paper's text and the reports.
-- param framework VARCHAR NULL: SIF, ILACS, LAC2013 or NULL for any children's services framework
-- param from_date DATE: reports published on or after this date
-- param to_date DATE: reports published on or before this date
SELECT o.source_id, s.title, o.area, o.grade, count(*) AS n
FROM judgement_observations o
JOIN sources s USING (source_id)
WHERE o.source_kind = 'council_paper_table'
  AND o.inspection_id IN (
      SELECT inspection_id FROM published_between('overall_effectiveness', $from_date, $to_date,
                                                  framework := $framework))
GROUP BY ALL
ORDER BY o.source_id, o.area, o.grade
