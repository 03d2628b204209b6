-- Share of each LA's children's social care providers judged good or better at their latest
-- full inspection, with seed 003's band and the share of places good or better (Local area
-- page, hex map of provider bands). The release used is the latest as at the date.
-- param as_at DATE: the date the figure is 'as at' (the latest provider release on or before it)
-- param provider_type VARCHAR NULL: a provider_types code, 'all_childrens_homes', or NULL for all providers
SELECT * FROM provider_shares($as_at, provider_type := $provider_type)
