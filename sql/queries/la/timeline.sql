-- One LA's inspections and visits under every framework since 2009 (SLAC, CPI, LAC2013, SIF,
-- ILACS; area SEND inspections too, on a scale of their own), with its predecessors' (LA profile
-- page, `export la-timeline`). overall_grade is the overall effectiveness the figures count
-- (judgement_bases: SLAC's is derived, the worse of its two strands; overall_text says how);
-- no_overall_by_design: an inspection that started on or after the April 2026 change, which
-- gives no overall grade; regime 'area_send' rows never carry a four-point grade. Each row
-- names its sources: the most trusted (source_kind, source_title, source_url: the report, or
-- the release or paper the grade comes from), every kind that describes it (source_kinds), the
-- corroborating ones (corroborated_by) and any secondary web pages (secondary_urls).
-- param la_code VARCHAR: DfE 3-digit LA code
WITH family AS (
    SELECT $la_code AS la_code
    UNION
    SELECT predecessor_la_code FROM la_reorganisations WHERE successor_la_code = $la_code
),
recs AS (
    SELECT r.inspection_id, r.evidence, src.kind, src.title, src.precedence, r.record_id,
           coalesce(nullif(r.report_url, ''), src.url) AS url
    FROM inspection_records r
    JOIN sources src USING (source_id)
    WHERE r.la_code IN (SELECT la_code FROM family)
),
per_insp AS (
    SELECT inspection_id,
           arg_min(kind, (precedence, record_id)) AS source_kind,
           arg_min(title, (precedence, record_id)) AS source_title,
           arg_min(url, (precedence, record_id)) FILTER (WHERE url IS NOT NULL
                                                          AND evidence <> 'secondary') AS source_url,
           string_agg(DISTINCT title, '; ' ORDER BY title)
               FILTER (WHERE evidence <> 'secondary') AS all_titles,
           string_agg(DISTINCT url, ' ; ' ORDER BY url)
               FILTER (WHERE evidence = 'secondary') AS secondary_urls,
           count(*) FILTER (WHERE evidence = 'secondary') AS n_secondary_records
    FROM recs GROUP BY inspection_id
)
SELECT s.*, f.regime,
       CASE WHEN f.regime = 'childrens_services' THEN ob.grade END AS overall_grade,
       CASE WHEN f.regime = 'childrens_services' THEN ob.grade_text END AS overall_text,
       coalesce(s.start_date >= f.no_overall_from, false) AS no_overall_by_design,
       p.source_kind, p.source_title, p.source_url,
       CASE WHEN p.n_secondary_records > 0 AND s.evidence <> 'secondary'
            THEN 'secondary web evidence (news or council pages)' END AS corroborated_by,
       p.secondary_urls
FROM inspection_summary s
JOIN family fam USING (la_code)
JOIN frameworks f ON f.framework = s.framework
LEFT JOIN judgement_bases ob ON ob.inspection_id = s.inspection_id
                            AND ob.area = 'overall_effectiveness' AND ob.grade <> 'not_judged'
LEFT JOIN per_insp p ON p.inspection_id = s.inspection_id
ORDER BY coalesce(s.end_date, s.start_date, s.published_date, s.published_by_bound) DESC NULLS LAST,
         s.inspection_id
