-- The reports of a briefing: inspections published in a window (published_between, seed 004's
-- basis and the National page's SQL for a window), each with its overall effectiveness and
-- LSCB grade, its report link and whether the collection holds its text.
-- param framework VARCHAR NULL: SIF, ILACS, LAC2013 or NULL for any children's services framework
-- param from_date DATE: reports published on or after this date
-- param to_date DATE: reports published on or before this date
-- param las VARCHAR NULL: comma-separated DfE codes of the LAs to keep (NULL: every LA)
-- (the LSCB grade is read for the same inspections: published_between gives one set of
-- inspections whatever the area, with secondary evidence counted)
WITH overall AS (
    SELECT * FROM published_between('overall_effectiveness', $from_date, $to_date,
                                    framework := $framework)
)
SELECT o.la_code, o.la_name, l.region_name, o.inspection_id, o.framework, o.inspection_type,
       o.start_date, o.end_date, o.published_date, o.publication_basis,
       o.grade AS overall_grade, o.grade_text AS overall_grade_text, o.evidence,
       lscb.grade AS lscb_grade, lscb.grade_text AS lscb_grade_text,
       lscb.evidence AS lscb_evidence,
       i.report_url, t.inspection_id IS NOT NULL AS has_text
FROM overall o
LEFT JOIN judgement_bases lscb ON lscb.inspection_id = o.inspection_id AND lscb.area = 'lscb'
JOIN inspections i ON i.inspection_id = o.inspection_id
-- the reports with text (a few hundred): looked up, not searched once per inspection
LEFT JOIN (SELECT DISTINCT inspection_id FROM report_text_reports) t
  ON t.inspection_id = o.inspection_id
JOIN local_authorities l ON l.la_code = o.la_code
WHERE $las IS NULL OR list_contains(string_split($las, ','), o.la_code)
ORDER BY o.published_date NULLS LAST, o.la_name, o.inspection_id
