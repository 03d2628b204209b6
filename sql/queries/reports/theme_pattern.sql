-- One regular expression matching any phrase of a theme in any form the stemmer folds (the
-- matching theme_sentences quotes by), for marking the phrases in a sentence shown.
-- param theme VARCHAR: a theme_id of the theme dictionary
SELECT '(?:' || coalesce(string_agg(pattern, '|' ORDER BY phrase), '$^') || ')' AS pattern
FROM theme_phrases WHERE theme_id = $theme
