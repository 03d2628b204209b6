-- The same share of providers good or better for England and each region (pooled over their
-- providers), with seed 003's band.
-- param as_at DATE: the date the figure is 'as at' (the latest provider release on or before it)
-- param provider_type VARCHAR NULL: a provider_types code, 'all_childrens_homes', or NULL for all providers
SELECT * FROM provider_shares_by_geography($as_at, provider_type := $provider_type)
