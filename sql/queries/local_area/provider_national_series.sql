-- Ofsted's national series of provider judgements (latest overall effectiveness as at 31 March
-- each year, or the year's full inspections) for a provider group, share good or better and
-- band, beside the share computed from the provider-level facts where a release has them.
-- param provider_group VARCHAR: a provider_types code, 'all_childrens_homes' or 'all'
-- param measure VARCHAR: 'latest_overall_effectiveness' (tables 8a-8n) or 'in_year_overall_effectiveness' (tables 9a-9e)
SELECT * FROM provider_national_shares(provider_group := $provider_group, measure := $measure)
