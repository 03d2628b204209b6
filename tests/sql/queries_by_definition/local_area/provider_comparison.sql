-- One LA's children's social care providers judged good or better at their latest full
-- inspection, by provider type (the LA's own types, all children's homes, all providers), with
-- their places and seed 003's band, beside its statistical neighbours (the LA excluded), its
-- region and England (the LA included): the Local area page's provider chart. Groups are pooled
-- over their providers and taken on the release's date, so an LA created since the release has
-- no providers in it (n_las 0) and its area's providers count under its predecessor.
-- param la_code VARCHAR: DfE 3-digit LA code
-- param as_at DATE: the date the figure is 'as at' (the latest provider release on or before it)
-- param vintage VARCHAR: statistical neighbour set ('current' or 'previous')
WITH rel AS (
    SELECT max(x.as_at) AS facts_as_at, arg_max(x.source_id, x.as_at) AS source_id
    FROM social_care_providers x WHERE x.as_at <= CAST($as_at AS DATE)
),
focus AS (
    SELECT l.la_code, l.name, l.region_name FROM local_authorities l WHERE l.la_code = $la_code
),
groups AS (
    SELECT 'la' AS comparator, 1 AS comparator_order, f.name AS comparator_name,
           f.la_code AS member
    FROM focus f
    UNION ALL
    SELECT 'neighbours', 2, 'Statistical neighbours', sn.neighbour_la_code
    FROM statistical_neighbours sn WHERE sn.la_code = $la_code AND sn.vintage = $vintage
    UNION ALL
    SELECT 'region', 3, f.region_name, l.la_code
    FROM focus f JOIN local_authorities l ON l.region_name = f.region_name
    UNION ALL
    SELECT 'england', 4, 'England', l.la_code FROM local_authorities l
),
members AS (
    SELECT g.comparator, g.member
    FROM groups g
    JOIN local_authorities l ON l.la_code = g.member
    CROSS JOIN rel
    WHERE (l.valid_from IS NULL OR l.valid_from <= rel.facts_as_at)
      AND (l.valid_to IS NULL OR l.valid_to >= rel.facts_as_at)
),
comparators AS (
    SELECT DISTINCT g.comparator, g.comparator_order, g.comparator_name FROM groups g
),
pc AS (SELECT * FROM provider_counts(CAST($as_at AS DATE))),
measures AS (
    SELECT m.provider_group,
           coalesce(pt.sort_order, CASE m.provider_group WHEN 'all' THEN 100 ELSE 99 END)
               AS type_order,
           coalesce(pt.label, CASE m.provider_group WHEN 'all' THEN 'All providers'
                                                    ELSE 'All children''s homes' END)
               AS provider_type_label
    FROM (SELECT x.provider_group FROM pc x WHERE x.la_code = $la_code
          UNION SELECT 'all' UNION SELECT 'all_childrens_homes') m
    LEFT JOIN provider_types pt ON pt.provider_type = m.provider_group
)
SELECT ms.provider_group AS provider_type, ms.provider_type_label, c.comparator,
       c.comparator_name,
       count(DISTINCT mb.member) AS n_las,
       count(DISTINCT pc.la_code) AS n_las_with_providers,
       CAST(coalesce(sum(pc.n_providers), 0) AS BIGINT) AS n_providers,
       CAST(coalesce(sum(pc.n_good_or_better), 0) AS BIGINT) AS n_good_or_better,
       sum(pc.n_good_or_better) / sum(pc.n_providers) AS share_good_or_better,
       performance_band(sum(pc.n_good_or_better) / sum(pc.n_providers)) AS band,
       CAST(coalesce(sum(pc.places), 0) AS BIGINT) AS places,
       CAST(coalesce(sum(pc.places_good_or_better), 0) AS BIGINT)
           AS places_good_or_better,
       sum(pc.places_good_or_better) / nullif(sum(pc.places), 0) AS share_places_good_or_better,
       any_value(rel.facts_as_at) AS facts_as_at, any_value(rel.source_id) AS source_id,
       any_value(s.title) AS source_title
FROM measures ms
CROSS JOIN comparators c
CROSS JOIN rel
LEFT JOIN members mb ON mb.comparator = c.comparator
LEFT JOIN pc ON pc.la_code = mb.member AND pc.provider_group = ms.provider_group
LEFT JOIN sources s ON s.source_id = rel.source_id
WHERE rel.facts_as_at IS NOT NULL
GROUP BY ms.provider_group, ms.type_order, ms.provider_type_label, c.comparator,
         c.comparator_order, c.comparator_name
ORDER BY ms.type_order, c.comparator_order
