-- Build step 4: public summaries over the derived model (sources in conflict, inspections with
-- their grades side by side, coverage per LA). Materialised at build: pages read them on every
-- view, and a view would re-derive them from every judgement each time (at 1000 times today's
-- data that was 79% of the LA profile's and the neighbours table's time, to return ~5 rows).

-- Where sources disagree about a grade: every source's words, and which one the model uses.
CREATE TABLE conflicts AS
SELECT
    i.la_code, l.name AS la_name, o.inspection_id, i.framework, i.published_date, o.area,
    j.grade AS chosen_grade, j.source_id AS chosen_source_id,
    string_agg(o.source_kind || ': ' || o.grade || ' (' || coalesce(o.grade_text, '') || ')',
               '; ' ORDER BY o.precedence) AS observations,
    count(DISTINCT o.source_id) AS n_sources
FROM judgement_observations o
JOIN judgements j ON j.inspection_id = o.inspection_id AND j.area = o.area
JOIN inspections i ON i.inspection_id = o.inspection_id
JOIN local_authorities l ON l.la_code = i.la_code
WHERE j.has_conflict
GROUP BY ALL;

-- Inspections with the LA's name and the main grades side by side (one row per inspection).
CREATE TABLE inspection_summary AS
SELECT i.*, l.name AS la_name, l.region_name, l.la_type,
       max(j.grade) FILTER (WHERE j.area = 'overall_effectiveness') AS overall_effectiveness,
       max(j.grade) FILTER (WHERE j.area = 'leadership') AS leadership,
       max(j.grade) FILTER (WHERE j.area = 'help_and_protection') AS help_and_protection,
       max(j.grade) FILTER (WHERE j.area = 'children_looked_after') AS children_looked_after,
       max(j.grade) FILTER (WHERE j.area = 'children_in_care_and_care_leavers')
           AS children_in_care_and_care_leavers,
       max(j.grade) FILTER (WHERE j.area = 'care_leavers') AS care_leavers,
       max(j.grade) FILTER (WHERE j.area = 'adoption') AS adoption,
       max(j.grade) FILTER (WHERE j.area = 'lscb') AS lscb,
       max(j.grade) FILTER (WHERE j.area = 'safeguarding') AS safeguarding,
       max(j.grade) FILTER (WHERE j.area = 'area_send_outcome') AS area_send_outcome,
       bool_or(j.has_conflict) AS has_conflict
FROM inspections i
JOIN local_authorities l USING (la_code)
LEFT JOIN judgements j USING (inspection_id)
GROUP BY ALL;

-- Coverage: per LA, what the collection holds.
CREATE TABLE coverage AS
SELECT l.la_code, l.name AS la_name, l.region_name, l.valid_from, l.valid_to,
       count(DISTINCT i.inspection_id) FILTER (WHERE i.framework = 'SIF' AND i.is_inspection) AS sif_inspections,
       count(DISTINCT i.inspection_id) FILTER (WHERE i.framework = 'ILACS' AND i.is_inspection) AS ilacs_inspections,
       count(DISTINCT i.inspection_id) FILTER (WHERE NOT i.is_inspection) AS visits_and_reviews,
       count(DISTINCT i.inspection_id) FILTER (WHERE i.framework IN ('SLAC', 'CPI', 'LAC2013')
                                               AND i.is_inspection) AS pre_sif_inspections,
       count(DISTINCT r.source_id) FILTER (WHERE r.source_kind = 'ofsted_report_pdf') AS report_pdfs,
       bool_or(i.evidence = 'secondary') AS has_secondary_evidence
FROM local_authorities l
LEFT JOIN inspections i USING (la_code)
LEFT JOIN records_ranked r ON r.inspection_id = i.inspection_id
GROUP BY ALL;

-- What each source gave (records, judgements, rejected rows), per source with its provenance:
-- the Data page's list of sources. Materialised, and kept in the page's order so that a page of
-- one kind's sources reads a few blocks: counted at every view, these group every record and
-- judgement of the collection (seconds at 1000 times today's data, issue 14).
CREATE TABLE source_counts AS
WITH rec AS (SELECT source_id, count(*) AS records FROM inspection_records GROUP BY source_id),
jud AS (
    SELECT r.source_id, count(*) AS judgements
    FROM judgement_records j JOIN inspection_records r USING (record_id)
    GROUP BY r.source_id
),
quar AS (SELECT source_id, count(*) AS quarantined FROM quarantine GROUP BY source_id)
SELECT s.*, coalesce(rec.records, 0) AS records, coalesce(jud.judgements, 0) AS judgements,
       coalesce(quar.quarantined, 0) AS quarantined
FROM sources s
LEFT JOIN rec USING (source_id)
LEFT JOIN jud USING (source_id)
LEFT JOIN quar USING (source_id)
ORDER BY s.precedence, s.kind, s.source_id;

-- The same per kind of source (the Data page's provenance summary), for the same reason.
CREATE TABLE source_kinds AS
SELECT s.kind,
       min(s.precedence) AS precedence,
       count(*) AS sources,
       CAST(sum(s.records) AS BIGINT) AS records,
       CAST(sum(s.judgements) AS BIGINT) AS judgements,
       CAST(sum(s.quarantined) AS BIGINT) AS quarantined,
       string_agg(DISTINCT s.publisher, '; ' ORDER BY s.publisher) AS publishers,
       string_agg(DISTINCT s.licence, '; ' ORDER BY s.licence) AS licences,
       string_agg(DISTINCT s.parser || coalesce(' ' || s.parser_version, ''), '; '
                  ORDER BY s.parser || coalesce(' ' || s.parser_version, '')) AS parsers
FROM source_counts s
GROUP BY s.kind
ORDER BY precedence, s.kind;

-- Per framework: inspections and visits, LAs inspected, judgements and those where sources
-- disagree, first and last report (the Data page's framework table), counted once here rather
-- than over every inspection and judgement at every view.
CREATE TABLE framework_counts AS
WITH i AS (
    SELECT framework,
           count(*) FILTER (WHERE is_inspection) AS inspections,
           count(*) FILTER (WHERE NOT is_inspection) AS visits_and_reviews,
           count(DISTINCT la_code) FILTER (WHERE is_inspection) AS las_inspected,
           min(published_date) AS first_report, max(published_date) AS last_report
    FROM inspections GROUP BY framework
),
j AS (
    SELECT ins.framework, count(*) AS judgements,
           count(*) FILTER (WHERE j.has_conflict) AS judgements_in_conflict
    FROM judgements j JOIN inspections ins USING (inspection_id)
    GROUP BY ins.framework
)
SELECT i.*, j.judgements, j.judgements_in_conflict
FROM i LEFT JOIN j USING (framework);

-- Judgements as council papers' own tables give them (judgement_observations of the
-- council_paper_table sources), with the paper's title: what reports/paper_tables counts for a
-- window. Materialised: through the view it ranked every record of every source each time.
CREATE TABLE paper_table_observations AS
SELECT o.source_id, s.title, o.inspection_id, o.area, o.grade
FROM judgement_observations o
JOIN sources s USING (source_id)
WHERE o.source_kind = 'council_paper_table'
ORDER BY o.inspection_id;
