-- Some LAs' latest area SEND outcome (2023 framework) as at a date: local_area/area_send_outcomes
-- for the LAs named only (an LA, or an LA and its statistical neighbours: Local area page), so
-- that a page or chart about a few LAs does not fetch every LA's row.
-- param as_at DATE: the date the figure is 'as at'
-- param las VARCHAR NULL: comma-separated DfE codes of the LAs to keep (NULL: every LA)
SELECT * FROM area_send_outcomes($as_at)
WHERE $las IS NULL OR list_contains(string_split($las, ','), la_code)
