-- title: Social care providers good or better by LA, with seed 003's bands
-- provider_type := 'childrens_home', 'all_childrens_homes', ... (provider_types); NULL for all
SELECT la_name, region_name, n_providers, n_good_or_better, share_good_or_better, band,
       share_places_good_or_better, facts_as_at
FROM provider_shares(current_date, provider_type := NULL)
ORDER BY share_good_or_better NULLS LAST, n_providers DESC
