-- Each LA's latest area SEND outcome (2023 framework) as at a date, with its dates, source
-- and report link (Local area page, hex map); NULL outcome: not inspected under the framework
-- by then, or no readable outcome.
-- param as_at DATE: the date the figure is 'as at'
-- param published_by DATE NULL: publication cut-off, NULL for as_at itself
SELECT * FROM area_send_outcomes($as_at, published_by := $published_by)
