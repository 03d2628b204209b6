-- Build step 3, the derived model: one inspection per event and one grade per judgement,
-- chosen by source precedence (sources.precedence, lower wins) from every source's records.
-- `inspections`, `judgements` and `judgement_bases` are tables materialised here because
-- every figure reads them; `records_ranked`, `inspections_merged` and `judgement_observations`
-- are the views they are derived from (judgement_observations is public: every source's grade).
-- Documented in README.md ("The SQL model").

-- Each record with its source's precedence; pref = 1 for the preferred source of an inspection.
CREATE VIEW records_ranked AS
SELECT r.*, s.kind AS source_kind, s.precedence,
       row_number() OVER (PARTITION BY r.inspection_id ORDER BY s.precedence, r.record_id) AS pref
FROM inspection_records r JOIN sources s USING (source_id);

-- Types that count as an inspection of the LA's services (a visit or an LSCB review does not).
CREATE TABLE inspection_type_classes AS
SELECT * FROM (VALUES
    ('full', true), ('re-inspection', true), ('standard', true), ('short', true),
    ('lscb_review', false), ('focused_visit', false), ('monitoring_visit', false), ('jtai', false)
) t(inspection_type, is_inspection);

-- One row per inspection or visit: each attribute from the most trusted source that has it.
CREATE VIEW inspections_merged AS
SELECT
    inspection_id,
    arg_min(la_code, precedence) AS la_code,
    arg_min(framework, precedence) AS framework,
    arg_min(inspection_type, precedence) AS type_as_recorded,
    arg_min(start_date, precedence) FILTER (WHERE start_date IS NOT NULL) AS start_date,
    arg_min(end_date, precedence) FILTER (WHERE end_date IS NOT NULL) AS end_date,
    arg_min(published_date, precedence) FILTER (WHERE published_date IS NOT NULL) AS published_date,
    -- An undated source (a council annex) may still bound the publication date from above.
    min(published_on_or_before) AS published_by_bound,
    arg_min(report_url, precedence) FILTER (WHERE coalesce(report_url, '') <> '') AS report_url,
    CASE WHEN bool_or(evidence = 'primary') THEN 'primary'
         WHEN bool_or(evidence = 'derived') THEN 'derived' ELSE 'secondary' END AS evidence,
    count(DISTINCT source_id) AS n_sources,
    string_agg(DISTINCT source_kind, ', ' ORDER BY source_kind) AS source_kinds,
    arg_min(source_id, precedence) AS preferred_source_id
FROM records_ranked
GROUP BY inspection_id;

-- The public inspections view. A SIF inspection that follows an earlier SIF inspection of the
-- same LA is a re-inspection even when its title does not say so ("sequence per LA tells").
CREATE TABLE inspections AS
SELECT
    m.inspection_id, m.la_code, m.framework,
    CASE WHEN m.framework = 'SIF' AND m.type_as_recorded = 'full'
              AND count(*) FILTER (WHERE c.is_inspection) OVER (
                    PARTITION BY m.la_code, m.framework
                    ORDER BY coalesce(m.start_date, m.end_date, m.published_date)
                    ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) > 0
         THEN 're-inspection' ELSE m.type_as_recorded END AS inspection_type,
    m.type_as_recorded,
    c.is_inspection,
    m.start_date, m.end_date, m.published_date, m.published_by_bound, m.report_url, m.evidence,
    m.n_sources, m.source_kinds, m.preferred_source_id
FROM inspections_merged m JOIN inspection_type_classes c ON c.inspection_type = m.type_as_recorded;

-- Every judgement as every source gave it.
CREATE VIEW judgement_observations AS
SELECT r.inspection_id, j.area, j.grade, j.grade_text, r.source_id, r.record_id, r.evidence,
       r.confidence, rr.precedence, rr.source_kind
FROM judgement_records j
JOIN inspection_records r USING (record_id)
JOIN records_ranked rr ON rr.record_id = r.record_id;

-- The public judgements view: per inspection and area, the grade of the most trusted source.
CREATE TABLE judgements AS
WITH ranked AS (
    SELECT o.*,
           row_number() OVER (PARTITION BY o.inspection_id, o.area
                              ORDER BY o.precedence, o.record_id) AS rn,
           count(DISTINCT o.grade) OVER (PARTITION BY o.inspection_id, o.area) AS n_grades,
           count(DISTINCT o.source_id) OVER (PARTITION BY o.inspection_id, o.area) AS n_sources
    FROM judgement_observations o
)
SELECT r.inspection_id, r.area, r.grade, g.grade_rank, r.grade_text, r.source_id, r.source_kind,
       r.evidence, r.confidence, r.n_sources, r.n_grades > 1 AS has_conflict
FROM ranked r JOIN grades g USING (grade)
WHERE r.rn = 1;

-- Judgements plus derived bases:
-- * 'any_practice', the worst of the practice judgements (help and protection, children in care,
--   care leavers; SLAC's safeguarding and looked-after-children strands), because inspections
--   from April 2026 give no overall grade;
-- * 'overall_effectiveness' of a SLAC inspection (frameworks.overall_basis = 'worst_strand'):
--   SLAC judged the overall effectiveness of safeguarding services and of services for looked
--   after children separately and gave no overall grade, so the inspection's overall is the
--   worse of the strands it judged (a re-inspection of one strand: that strand), grade_text
--   saying so. CPI and LAC2013 inspections give one overall effectiveness judgement each.
CREATE TABLE judgement_bases AS
SELECT inspection_id, area, grade, grade_rank, grade_text, source_id, evidence, has_conflict
FROM judgements
UNION ALL
SELECT inspection_id, 'any_practice' AS area,
       arg_max(grade, grade_rank) AS grade, max(grade_rank) AS grade_rank,
       string_agg(area || ': ' || grade, '; ' ORDER BY area) AS grade_text,
       arg_max(source_id, grade_rank) AS source_id,
       CASE WHEN bool_or(evidence = 'secondary') THEN 'secondary'
            WHEN bool_or(evidence = 'derived') THEN 'derived' ELSE 'primary' END AS evidence,
       bool_or(has_conflict) AS has_conflict
FROM judgements
WHERE area IN ('help_and_protection', 'children_looked_after', 'children_in_care_and_care_leavers',
               'care_leavers', 'safeguarding')
  AND grade <> 'not_judged'
GROUP BY inspection_id
UNION ALL
SELECT j.inspection_id, 'overall_effectiveness' AS area,
       arg_max(j.grade, j.grade_rank) AS grade, max(j.grade_rank) AS grade_rank,
       'derived (SLAC gives no overall grade): worse of '
           || string_agg(j.area || ' ''' || coalesce(j.grade_text, j.grade) || '''', ' and '
                         ORDER BY j.area) AS grade_text,
       arg_max(j.source_id, j.grade_rank) AS source_id,
       CASE WHEN bool_or(j.evidence = 'secondary') THEN 'secondary'
            WHEN bool_or(j.evidence = 'derived') THEN 'derived' ELSE 'primary' END AS evidence,
       bool_or(j.has_conflict) AS has_conflict
FROM judgements j
JOIN inspections i USING (inspection_id)
JOIN frameworks f ON f.framework = i.framework AND f.overall_basis = 'worst_strand'
WHERE j.area IN ('safeguarding', 'children_looked_after') AND j.grade <> 'not_judged'
  AND NOT EXISTS (SELECT 1 FROM judgements o
                  WHERE o.inspection_id = j.inspection_id AND o.area = 'overall_effectiveness')
GROUP BY j.inspection_id
-- (the whole table) kept in area order: a figure reads one area, and so reads only its blocks
ORDER BY area, inspection_id;
