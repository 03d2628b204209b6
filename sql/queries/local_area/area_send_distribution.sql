-- Area SEND outcomes as at a date for England and each region (count and share of each
-- outcome among LAs with a readable outcome), and the share of LAs inspected under the 2023
-- framework so far.
-- param as_at DATE: the date the figure is 'as at'
-- param published_by DATE NULL: publication cut-off, NULL for as_at itself
SELECT * FROM area_send_distribution($as_at, published_by := $published_by)
