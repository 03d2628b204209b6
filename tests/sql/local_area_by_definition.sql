-- The local area figures by their definition (sql/05_macros.sql before issue 14): area SEND
-- outcomes ranked afresh at each date, provider figures counted from every provider of the
-- release, and the local picture from latest_judgements, area_send_outcomes and
-- provider_counts over every LA. sql/05_macros.sql reads intervals and counts materialised at
-- build instead; tests/test_scale_equivalence.py loads these over a copy of the built database
-- and asserts that every named query answers the same.

CREATE OR REPLACE MACRO area_send_outcomes(as_at, published_by := NULL) AS TABLE
WITH insp AS (
    SELECT i.*,
           row_number() OVER (PARTITION BY i.la_code
                              ORDER BY coalesce(i.end_date, i.published_date) DESC,
                                       i.published_date DESC, i.inspection_id) AS rn
    FROM inspections i
    WHERE i.framework = 'AREA_SEND' AND i.is_inspection
      AND i.published_date <= coalesce(published_by, as_at)
      AND coalesce(i.end_date, i.published_date) <= as_at
)
SELECT l.la_code, l.name AS la_name, l.region_name, l.la_type,
       insp.inspection_id, insp.start_date, insp.end_date, insp.published_date,
       j.grade AS outcome, g.label AS outcome_label, g.grade_rank AS outcome_rank,
       j.grade_text AS outcome_text, j.source_id, s.title AS source_title,
       s.kind AS source_kind, j.evidence, j.has_conflict, insp.n_sources, insp.source_kinds,
       insp.report_url
FROM las_on(as_at) l
LEFT JOIN insp ON insp.la_code = l.la_code AND insp.rn = 1
LEFT JOIN judgements j ON j.inspection_id = insp.inspection_id AND j.area = 'area_send_outcome'
LEFT JOIN grades g ON g.grade = j.grade AND g.scale = 'area_send'
LEFT JOIN sources s ON s.source_id = j.source_id
ORDER BY l.name;


CREATE OR REPLACE MACRO area_send_distribution(as_at, published_by := NULL) AS TABLE
WITH o AS (SELECT * FROM area_send_outcomes(as_at, published_by := published_by)),
geo AS (
    SELECT 'England' AS geography, 0 AS geo_order, o.* FROM o
    UNION ALL
    SELECT o.region_name, 1, o.* FROM o
),
totals AS (
    SELECT geo.geography, geo.geo_order, count(*) AS n_las,
           count(geo.inspection_id) AS n_inspected, count(geo.outcome) AS n_with_outcome
    FROM geo GROUP BY geo.geography, geo.geo_order
)
SELECT t.geography, g.grade AS outcome, g.label AS outcome_label, g.grade_rank AS outcome_rank,
       count(geo.la_code) AS n,
       count(geo.la_code) / nullif(t.n_with_outcome, 0) AS share,
       t.n_with_outcome, t.n_inspected, t.n_las,
       t.n_inspected / t.n_las AS share_inspected
FROM totals t
CROSS JOIN (SELECT * FROM grades WHERE grades.scale = 'area_send') g
LEFT JOIN geo ON geo.geography = t.geography AND geo.outcome = g.grade
GROUP BY t.geography, t.geo_order, g.grade, g.label, g.grade_rank, t.n_with_outcome,
         t.n_inspected, t.n_las
ORDER BY t.geo_order, t.geography, g.grade_rank;


CREATE OR REPLACE MACRO provider_counts(as_at) AS TABLE
WITH rel AS (
    SELECT max(x.as_at) AS facts_as_at FROM social_care_providers x WHERE x.as_at <= as_at
),
p AS (
    SELECT sp.la_code, sp.provider_type, sp.places, sp.source_id, sp.as_at AS facts_as_at,
           pt.is_childrens_home, g.is_good_or_better
    FROM social_care_providers sp
    JOIN rel ON sp.as_at = rel.facts_as_at
    JOIN provider_types pt ON pt.provider_type = sp.provider_type
    JOIN grades g ON g.grade = sp.overall_grade AND g.scale = 'four_point'
    WHERE sp.overall_grade <> 'not_judged'
),
grouped AS (
    SELECT p.*, p.provider_type AS provider_group FROM p
    UNION ALL
    SELECT p.*, 'all_childrens_homes' FROM p WHERE p.is_childrens_home
    UNION ALL
    SELECT p.*, 'all' FROM p
)
SELECT grouped.la_code, grouped.provider_group,
       count(*) AS n_providers,
       count(*) FILTER (WHERE grouped.is_good_or_better) AS n_good_or_better,
       coalesce(sum(grouped.places), 0) AS places,
       coalesce(sum(grouped.places) FILTER (WHERE grouped.is_good_or_better), 0)
           AS places_good_or_better,
       any_value(grouped.facts_as_at) AS facts_as_at,
       any_value(grouped.source_id) AS source_id
FROM grouped
GROUP BY grouped.la_code, grouped.provider_group;


CREATE OR REPLACE MACRO provider_shares(as_at, provider_type := NULL) AS TABLE
WITH c AS (
    SELECT * FROM provider_counts(as_at) pc
    WHERE pc.provider_group = coalesce(provider_type, 'all')
),
rel AS (
    SELECT max(x.as_at) AS facts_as_at, arg_max(x.source_id, x.as_at) AS source_id
    FROM social_care_providers x WHERE x.as_at <= as_at
)
SELECT l.la_code, coalesce(provider_type, 'all') AS provider_type,
       coalesce(c.n_providers, 0) AS n_providers,
       coalesce(c.n_good_or_better, 0) AS n_good_or_better,
       c.n_good_or_better / c.n_providers AS share_good_or_better,
       performance_band(c.n_good_or_better / c.n_providers) AS band,
       coalesce(c.places, 0) AS places,
       coalesce(c.places_good_or_better, 0) AS places_good_or_better,
       c.places_good_or_better / nullif(c.places, 0) AS share_places_good_or_better,
       l.name AS la_name, l.region_name, rel.facts_as_at, rel.source_id
FROM rel
JOIN local_authorities l
  ON (l.valid_from IS NULL OR l.valid_from <= rel.facts_as_at)
 AND (l.valid_to IS NULL OR l.valid_to >= rel.facts_as_at)
LEFT JOIN c ON c.la_code = l.la_code
WHERE rel.facts_as_at IS NOT NULL AND provider_group_known(provider_type)
ORDER BY l.name;


CREATE OR REPLACE MACRO provider_shares_by_geography(as_at, provider_type := NULL) AS TABLE
WITH c AS (
    SELECT pc.*, l.region_name FROM provider_counts(as_at) pc
    JOIN local_authorities l ON l.la_code = pc.la_code
    WHERE pc.provider_group = coalesce(provider_type, 'all')
),
geo AS (
    SELECT 'England' AS geography, 'england' AS geography_level, 0 AS geo_order, c.* FROM c
    UNION ALL
    SELECT c.region_name, 'region', 1, c.* FROM c
)
SELECT geo.geography_level, geo.geography, coalesce(provider_type, 'all') AS provider_type,
       sum(geo.n_providers) AS n_providers, sum(geo.n_good_or_better) AS n_good_or_better,
       sum(geo.n_good_or_better) / sum(geo.n_providers) AS share_good_or_better,
       performance_band(sum(geo.n_good_or_better) / sum(geo.n_providers)) AS band,
       sum(geo.places) AS places, sum(geo.places_good_or_better) AS places_good_or_better,
       sum(geo.places_good_or_better) / nullif(sum(geo.places), 0) AS share_places_good_or_better,
       count(DISTINCT geo.la_code) AS n_las_with_providers,
       any_value(geo.facts_as_at) AS facts_as_at, any_value(geo.source_id) AS source_id
FROM geo
WHERE provider_group_known(provider_type)
GROUP BY geo.geography_level, geo.geography, geo.geo_order
ORDER BY geo.geo_order, geo.geography;


CREATE OR REPLACE MACRO provider_national_shares(provider_group := 'all',
                                      measure := 'latest_overall_effectiveness') AS TABLE
WITH pub AS (
    SELECT s.period_end, any_value(s.period_start) AS period_start,
           any_value(s.period_label) AS period_label, any_value(s.table_ref) AS table_ref,
           any_value(s.source_id) AS source_id,
           sum(s.value) FILTER (WHERE s.grade = 'outstanding') AS n_outstanding,
           sum(s.value) FILTER (WHERE s.grade = 'good') AS n_good,
           sum(s.value) FILTER (WHERE s.grade = 'requires_improvement') AS n_requires_improvement,
           sum(s.value) FILTER (WHERE s.grade = 'inadequate') AS n_inadequate,
           sum(s.value) AS n_judged,
           sum(s.value) FILTER (WHERE g.is_good_or_better) AS n_good_or_better,
           string_agg(DISTINCT nullif(s.note, ''), '; ' ORDER BY nullif(s.note, '')) AS note
    FROM provider_national_series s JOIN grades g ON g.grade = s.grade
    WHERE s.measure = measure AND s.provider_group = provider_group
    GROUP BY s.period_end
),
counts AS (
    SELECT s.period_end,
           max(s.value) FILTER (WHERE s.measure = 'providers') AS n_registered,
           max(s.value) FILTER (WHERE s.measure = 'places') AS places
    FROM provider_national_series s
    WHERE s.measure IN ('providers', 'places') AND s.provider_group = provider_group
    GROUP BY s.period_end
),
latest_facts AS (
    SELECT c.facts_as_at AS period_end, sum(c.n_providers) AS n_judged,
           sum(c.n_good_or_better) AS n_good_or_better
    FROM (SELECT DISTINCT x.as_at FROM social_care_providers x) r,
         LATERAL (SELECT * FROM provider_counts(r.as_at)) c
    WHERE c.provider_group = provider_group
    GROUP BY c.facts_as_at
),
year_facts AS (
    SELECT i.period_end, count(*) AS n_judged,
           count(*) FILTER (WHERE g.is_good_or_better) AS n_good_or_better
    FROM social_care_provider_inspections i
    JOIN provider_types pt ON pt.provider_type = i.provider_type
    JOIN grades g ON g.grade = i.overall_grade AND g.scale = 'four_point'
    WHERE i.inspection_type = 'full' AND i.overall_grade <> 'not_judged'
      AND (provider_group = 'all' OR i.provider_type = provider_group
           OR (provider_group = 'all_childrens_homes' AND pt.is_childrens_home))
    GROUP BY i.period_end
),
computed AS (
    SELECT * FROM latest_facts WHERE measure = 'latest_overall_effectiveness'
    UNION ALL
    SELECT * FROM year_facts WHERE measure = 'in_year_overall_effectiveness'
)
SELECT pub.period_end, pub.period_start, pub.period_label, provider_group AS provider_group,
       measure AS measure,
       pub.n_outstanding, pub.n_good, pub.n_requires_improvement, pub.n_inadequate,
       pub.n_judged, pub.n_good_or_better,
       pub.n_good_or_better / nullif(pub.n_judged, 0) AS share_good_or_better,
       performance_band(pub.n_good_or_better / nullif(pub.n_judged, 0)) AS band,
       computed.n_judged AS computed_n_judged,
       computed.n_good_or_better AS computed_n_good_or_better,
       computed.n_good_or_better / nullif(computed.n_judged, 0) AS computed_share_good_or_better,
       counts.n_registered, counts.places, pub.table_ref, pub.source_id, pub.note
FROM pub
LEFT JOIN computed ON computed.period_end = pub.period_end
LEFT JOIN counts ON counts.period_end = pub.period_end AND measure = 'latest_overall_effectiveness'
WHERE provider_group_known(provider_group)
ORDER BY pub.period_end;


CREATE OR REPLACE MACRO local_area_summary(la_code, as_at, vintage := 'current',
                                framework := 'ILACS') AS TABLE
WITH focus AS (
    SELECT l.la_code AS focus_code, l.name AS focus_name, l.region_name AS focus_region
    FROM local_authorities l WHERE l.la_code = la_code
),
-- comparator groups, each LA with the dates it existed
groups AS (
    SELECT 'la' AS comparator, 1 AS comparator_order, f.focus_name AS comparator_name,
           f.focus_code AS member
    FROM focus f
    UNION ALL
    SELECT 'neighbours', 2, 'statistical neighbours (' || vintage || ' set)',
           sn.neighbour_la_code
    FROM statistical_neighbours sn WHERE sn.la_code = la_code AND sn.vintage = vintage
    UNION ALL
    SELECT 'region', 3, f.focus_region, l.la_code
    FROM focus f JOIN local_authorities l ON l.region_name = f.focus_region
    UNION ALL
    SELECT 'england', 4, 'England', l.la_code FROM local_authorities l
),
-- the members existing on a date: as_at for judgements, the release's date for providers
rel AS (
    SELECT max(x.as_at) AS facts_as_at, arg_max(x.source_id, x.as_at) AS source_id
    FROM social_care_providers x WHERE x.as_at <= as_at
),
members AS (
    SELECT g.*, (l.valid_from IS NULL OR l.valid_from <= as_at)
                AND (l.valid_to IS NULL OR l.valid_to >= as_at) AS on_as_at,
           coalesce((l.valid_from IS NULL OR l.valid_from <= rel.facts_as_at)
                    AND (l.valid_to IS NULL OR l.valid_to >= rel.facts_as_at), false) AS on_release
    FROM groups g JOIN local_authorities l ON l.la_code = g.member CROSS JOIN rel
),
cs AS (
    SELECT 'overall_effectiveness' AS measure, 1 AS measure_order, lj.*
    FROM latest_judgements(as_at, 'overall_effectiveness', framework := framework) lj
    UNION ALL SELECT 'leadership', 2, lj.*
    FROM latest_judgements(as_at, 'leadership', framework := framework) lj
    UNION ALL SELECT 'help_and_protection', 3, lj.*
    FROM latest_judgements(as_at, 'help_and_protection', framework := framework) lj
    UNION ALL SELECT 'children_in_care_and_care_leavers', 4, lj.*
    FROM latest_judgements(as_at, 'children_in_care_and_care_leavers', framework := framework) lj
    UNION ALL SELECT 'children_looked_after', 5, lj.*
    FROM latest_judgements(as_at, 'children_looked_after', framework := framework) lj
    UNION ALL SELECT 'care_leavers', 6, lj.*
    FROM latest_judgements(as_at, 'care_leavers', framework := framework) lj
),
-- every LA's value per judgement measure, on one shape
per_la AS (
    SELECT 'childrens_services' AS section, 1 AS section_order, cs.measure, cs.measure_order,
           a.label AS measure_label, cs.la_code, cs.grade AS value, g.label AS value_label,
           g.grade_rank, g.is_good_or_better AS favourable, 'good or better' AS favourable_means,
           cs.end_date AS dated, cs.published_date, cs.source_id, cs.report_url, cs.framework
    FROM cs JOIN areas a ON a.area = cs.measure LEFT JOIN grades g ON g.grade = cs.grade
    WHERE cs.framework IS NULL
       OR cs.framework IN (SELECT f.framework FROM frameworks f
                           WHERE f.regime = 'childrens_services')
    UNION ALL
    SELECT 'area_send', 2, 'area_send_outcome', 1, 'Area SEND inspection outcome', o.la_code,
           o.outcome, o.outcome_label, o.outcome_rank, o.outcome = 'positive', 'positive',
           o.end_date, o.published_date, o.source_id, o.report_url, 'AREA_SEND'
    FROM area_send_outcomes(as_at) o
),
judgement_summary AS (
    SELECT p.section, p.section_order, p.measure, p.measure_order, p.measure_label,
           m.comparator, m.comparator_order, m.comparator_name,
           count(DISTINCT m.member) AS n_members,
           count(p.value) AS n_judged,
           count(p.value) FILTER (WHERE p.favourable) AS n_favourable,
           count(p.value) FILTER (WHERE p.favourable) / nullif(count(p.value), 0)
               AS share_favourable,
           any_value(p.favourable_means) AS favourable_means,
           NULL::VARCHAR AS band,
           CASE WHEN m.comparator = 'la' THEN any_value(p.value) END AS value,
           CASE WHEN m.comparator = 'la' THEN any_value(p.value_label) END AS value_label,
           CASE WHEN m.comparator = 'la' THEN any_value(p.framework) END AS framework,
           CASE WHEN m.comparator = 'la' THEN any_value(p.dated) END AS dated,
           CASE WHEN m.comparator = 'la' THEN any_value(p.published_date) END AS published_date,
           CASE WHEN m.comparator = 'la' THEN any_value(p.source_id) END AS source_id,
           CASE WHEN m.comparator = 'la' THEN any_value(p.report_url) END AS report_url
    FROM members m JOIN per_la p ON p.la_code = m.member
    WHERE m.on_as_at OR m.comparator = 'la'
    GROUP BY p.section, p.section_order, p.measure, p.measure_order, p.measure_label,
             m.comparator, m.comparator_order, m.comparator_name
),
distribution AS (
    SELECT d.section, d.measure, d.comparator,
           string_agg(d.value || ' ' || d.n, '; ' ORDER BY d.grade_rank, d.value) AS distribution
    FROM (SELECT p.section, p.measure, m.comparator, p.value, p.grade_rank, count(*) AS n
          FROM members m JOIN per_la p ON p.la_code = m.member
          WHERE (m.on_as_at OR m.comparator = 'la') AND p.value IS NOT NULL
          GROUP BY p.section, p.measure, m.comparator, p.value, p.grade_rank) d
    GROUP BY d.section, d.measure, d.comparator
),
pc AS (SELECT * FROM provider_counts(as_at)),
-- provider groups shown: the LA's own types, all children's homes and all providers
measures AS (
    SELECT g.provider_group AS measure,
           coalesce(pt.sort_order, CASE g.provider_group WHEN 'all' THEN 100 ELSE 99 END)
               AS measure_order,
           coalesce(pt.label, CASE g.provider_group WHEN 'all' THEN 'All providers'
                                                     ELSE 'All children''s homes' END)
               AS measure_label
    FROM (SELECT x.provider_group FROM pc x JOIN focus f ON x.la_code = f.focus_code
          UNION SELECT 'all' UNION SELECT 'all_childrens_homes') g
    LEFT JOIN provider_types pt ON pt.provider_type = g.provider_group
),
comparators AS (
    SELECT DISTINCT m.comparator, m.comparator_order, m.comparator_name FROM members m
),
provider_summary AS (
    SELECT 'providers' AS section, 3 AS section_order, ms.measure, ms.measure_order,
           ms.measure_label, c.comparator, c.comparator_order, c.comparator_name,
           count(DISTINCT mb.member) FILTER (WHERE mb.on_release) AS n_members,
           coalesce(sum(pc.n_providers), 0) AS n_judged,
           coalesce(sum(pc.n_good_or_better), 0) AS n_favourable,
           sum(pc.n_good_or_better) / sum(pc.n_providers) AS share_favourable,
           'good or better' AS favourable_means,
           performance_band(sum(pc.n_good_or_better) / sum(pc.n_providers)) AS band,
           NULL::VARCHAR AS value, NULL::VARCHAR AS value_label, NULL::VARCHAR AS framework,
           any_value(rel.facts_as_at) AS dated, NULL::DATE AS published_date,
           any_value(rel.source_id) AS source_id, NULL::VARCHAR AS report_url
    FROM measures ms
    CROSS JOIN comparators c
    CROSS JOIN rel
    LEFT JOIN members mb ON mb.comparator = c.comparator
    LEFT JOIN pc ON pc.la_code = mb.member AND pc.provider_group = ms.measure
    WHERE rel.facts_as_at IS NOT NULL
    GROUP BY ms.measure, ms.measure_order, ms.measure_label, c.comparator, c.comparator_order,
             c.comparator_name
)
SELECT s.section, s.measure, s.measure_label, s.comparator, s.comparator_name, s.value,
       s.value_label, s.n_members, s.n_judged, s.n_favourable, s.share_favourable,
       s.favourable_means, s.band, d.distribution, s.framework, s.dated, s.published_date,
       s.source_id, src.title AS source_title, s.report_url
FROM (SELECT * FROM judgement_summary UNION ALL SELECT * FROM provider_summary) s
LEFT JOIN distribution d
  ON d.section = s.section AND d.measure = s.measure AND d.comparator = s.comparator
LEFT JOIN sources src ON src.source_id = s.source_id
ORDER BY s.section_order, s.measure_order, s.comparator_order;

