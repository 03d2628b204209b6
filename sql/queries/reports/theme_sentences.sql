-- Sentences of the reports that carry a theme, newest first, with their page and report
-- (theme_sentences in sql/08_text.sql; the Reports and themes page).
-- param theme VARCHAR: a theme_id of the theme dictionary
-- param from_date DATE NULL: reports published on or after this date
-- param to_date DATE NULL: reports published on or before this date
-- param framework VARCHAR NULL: SIF, ILACS, LAC2013 or NULL for every framework
-- param grade_band VARCHAR NULL: good_or_better, failing or NULL for both
-- param max_results INTEGER: how many sentences at most
SELECT * FROM theme_sentences($theme, from_date := $from_date, to_date := $to_date,
                              framework := $framework, grade_band := $grade_band,
                              max_results := $max_results)
