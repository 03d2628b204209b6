-- The definition of sql/queries/national/official_releases.sql: whether a source records LA
-- inspections looked up among every record (the query before issue 14).
-- Ofsted's official statistics releases of LA inspection outcomes "as at" a date that the
-- warehouse holds national figures of, one row per release (National picture page: the dates
-- offered as quick choices, and the official basis shown beside the plain one on those dates).
-- A release is found from the figures it publishes about itself: reference_figures rows on the
-- latest-judgement basis whose source is an Ofsted official statistics release (release_figures,
-- read from the release by its adapter, are appended to reference_figures at load; the curated
-- ones name their source "Ofsted official statistics: ..."). Council papers quote figures too,
-- but they are not releases and state no publication cut-off.
-- The publication cut-off is the one the release states (its Cover's "Period covered: ...
-- with a report published by <date>", kept as the figures' published_by). Documented rule for
-- a release that states none: the end of the third month after its as-at date, the cut-off the
-- "LA inspection outcomes as at 31 March" releases state (31 March -> 30 June);
-- cut_off_stated says which applies.
-- The release's name and link come from its source: the one the figures were read from
-- (release_figures.source_id), else the source that records LA inspections as at the same date
-- with the same cut-off (the release's own inspection rows).
-- params: none
WITH official AS (
    SELECT f.as_at, f.published_by, f.source, f.area, r.source_id
    FROM reference_figures f
    LEFT JOIN release_figures r USING (figure_id)
    WHERE f.basis = 'latest_published' AND f.unit = 'count' AND f.la_code IS NULL
      AND f.as_at IS NOT NULL
      AND (r.source_id IS NOT NULL OR f.source LIKE 'Ofsted official statistics%')
),
releases AS (
    SELECT as_at,
           coalesce(max(published_by),
                    last_day(CAST(as_at + INTERVAL 3 MONTH AS DATE))) AS published_by,
           max(published_by) IS NOT NULL AS cut_off_stated,
           min(source) AS figures_source,
           min(source_id) AS source_id,
           list(DISTINCT area ORDER BY area) AS areas
    FROM official
    GROUP BY as_at
),
recorded AS (  -- sources whose rows record LA inspections (not, e.g., the providers' release)
    SELECT s.source_id, s.title, s.url, s.as_at, s.published_by
    FROM sources s
    WHERE s.as_at IS NOT NULL
      AND EXISTS (SELECT 1 FROM inspection_records i WHERE i.source_id = s.source_id)
)
SELECT r.as_at, CAST(r.published_by AS DATE) AS published_by, r.cut_off_stated,
       -- "(published 06 July 2023)" -> "(published 6 July 2023)": the product's date style
       regexp_replace(coalesce(own.title, same.title,
                               regexp_replace(r.figures_source, '^Ofsted official statistics: ', '')),
                      '\b0(\d) ', '\1 ', 'g') AS release,
       coalesce(own.url, same.url) AS url,
       r.areas
FROM releases r
LEFT JOIN recorded own ON own.source_id = r.source_id
LEFT JOIN (SELECT as_at, published_by, min(title) AS title, min(url) AS url
           FROM recorded GROUP BY as_at, published_by) same
       ON same.as_at = r.as_at AND same.published_by = r.published_by
ORDER BY r.as_at
