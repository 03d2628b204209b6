-- The theme dictionary (data/curated/themes.csv), for the page's picker and the briefing.
-- params: none
SELECT theme_id, label, description, phrases, version FROM themes ORDER BY label
