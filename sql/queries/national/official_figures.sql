-- The national figures an Ofsted official statistics release published for a judgement area
-- as at its date (National picture page: shown beside the same figures computed on the
-- release's basis, and their difference explained, never forced). One row per grade, with the
-- release's own departure from its stated basis where it records one (e.g. the 2023 release
-- counting South Tyneside, whose report came out after its cut-off). Which rows are official
-- releases: as in national/official_releases.
-- param as_at DATE: the release's as-at date
-- param area VARCHAR: judgement area (areas.area, or any_practice)
SELECT f.grade, CAST(f.value AS BIGINT) AS published, f.published_by, f.departure,
       f.departure_la_codes, f.source
FROM reference_figures f
LEFT JOIN release_figures r USING (figure_id)
LEFT JOIN grades g ON g.grade = f.grade
WHERE f.basis = 'latest_published' AND f.unit = 'count' AND f.la_code IS NULL
  AND (r.source_id IS NOT NULL OR f.source LIKE 'Ofsted official statistics%')
  AND f.as_at = $as_at AND f.area = $area
ORDER BY g.grade_rank, f.grade
