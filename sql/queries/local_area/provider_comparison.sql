-- One LA's children's social care providers judged good or better at their latest full
-- inspection, by provider type (the LA's own types, all children's homes, all providers), with
-- their places and seed 003's band, beside its statistical neighbours (the LA excluded), its
-- region and England (the LA included): the Local area page's provider chart. Groups are pooled
-- over their providers and taken on the release's date, so an LA created since the release has
-- no providers in it (n_las 0) and its area's providers count under its predecessor.
-- The LA and its neighbours are read LA by LA (provider_la_counts), the region and England from
-- the counts per region kept at build (provider_region_counts, provider_release_las), so the
-- cost does not grow with the number of LAs (issue 14).
-- param la_code VARCHAR: DfE 3-digit LA code
-- param as_at DATE: the date the figure is 'as at' (the latest provider release on or before it)
-- param vintage VARCHAR: statistical neighbour set ('current' or 'previous')
WITH rel AS (SELECT * FROM provider_release_on(CAST($as_at AS DATE))),
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
),
-- the region and England: the regions each sums over
wide AS (
    SELECT 'region' AS comparator, 3 AS comparator_order, f.region_name AS comparator_name,
           f.region_name
    FROM focus f WHERE f.region_name IS NOT NULL
    UNION ALL
    SELECT DISTINCT 'england', 4, 'England', c.region_name FROM la_count_deltas c
),
members AS (
    SELECT g.comparator, g.member
    FROM groups g
    JOIN local_authorities l ON l.la_code = g.member
    CROSS JOIN rel
    WHERE (l.valid_from IS NULL OR l.valid_from <= rel.facts_as_at)
      AND (l.valid_to IS NULL OR l.valid_to >= rel.facts_as_at)
),
pc AS (
    SELECT c.* FROM provider_la_counts c, rel
    WHERE c.facts_as_at = rel.facts_as_at
      AND c.la_code IN (SELECT g.member FROM groups g UNION ALL SELECT $la_code)
),
-- per comparator and provider group: LAs (existing on the release's date), those with
-- providers, and the providers' sums
counted AS (
    SELECT mb.comparator, pc.provider_group, count(DISTINCT pc.la_code) AS n_las_with_providers,
           sum(pc.n_providers) AS n_providers, sum(pc.n_good_or_better) AS n_good_or_better,
           sum(pc.places) AS places, sum(pc.places_good_or_better) AS places_good_or_better
    FROM members mb JOIN pc ON pc.la_code = mb.member
    GROUP BY mb.comparator, pc.provider_group
    UNION ALL
    SELECT w.comparator, rc.provider_group, sum(rc.n_las_with_providers), sum(rc.n_providers),
           sum(rc.n_good_or_better), sum(rc.places), sum(rc.places_good_or_better)
    FROM wide w
    JOIN provider_region_counts rc ON rc.region_name IS NOT DISTINCT FROM w.region_name
    JOIN rel ON rc.facts_as_at = rel.facts_as_at
    WHERE rc.on_release
    GROUP BY w.comparator, rc.provider_group
),
n_las AS (
    SELECT mb.comparator, count(DISTINCT mb.member) AS n_las FROM members mb GROUP BY ALL
    UNION ALL
    SELECT w.comparator, sum(rl.n_las)
    FROM wide w
    JOIN provider_release_las rl ON rl.region_name IS NOT DISTINCT FROM w.region_name
    JOIN rel ON rl.facts_as_at = rel.facts_as_at
    GROUP BY w.comparator
),
comparators AS (
    SELECT DISTINCT g.comparator, g.comparator_order, g.comparator_name FROM groups g
    UNION ALL
    SELECT DISTINCT w.comparator, w.comparator_order, w.comparator_name FROM wide w
),
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
       CAST(coalesce(n.n_las, 0) AS BIGINT) AS n_las,
       CAST(coalesce(k.n_las_with_providers, 0) AS BIGINT) AS n_las_with_providers,
       CAST(coalesce(k.n_providers, 0) AS BIGINT) AS n_providers,
       CAST(coalesce(k.n_good_or_better, 0) AS BIGINT) AS n_good_or_better,
       k.n_good_or_better / k.n_providers AS share_good_or_better,
       performance_band(k.n_good_or_better / k.n_providers) AS band,
       CAST(coalesce(k.places, 0) AS BIGINT) AS places,
       CAST(coalesce(k.places_good_or_better, 0) AS BIGINT) AS places_good_or_better,
       k.places_good_or_better / nullif(k.places, 0) AS share_places_good_or_better,
       rel.facts_as_at, rel.source_id, rel.source_title
FROM measures ms
CROSS JOIN comparators c
CROSS JOIN rel
LEFT JOIN n_las n ON n.comparator = c.comparator
LEFT JOIN counted k ON k.comparator = c.comparator AND k.provider_group = ms.provider_group
WHERE rel.facts_as_at IS NOT NULL
ORDER BY ms.type_order, c.comparator_order
