-- Themes by grade band: how often reports on good or outstanding authorities and on failing
-- ones (requires improvement or inadequate) carry each theme, compared within each framework
-- (theme_separation in sql/08_text.sql; the Reports and themes page's chart, `export themes`).
-- param from_date DATE NULL: reports published on or after this date (NULL: from the first)
-- param to_date DATE NULL: reports published on or before this date (NULL: to the last)
-- param framework VARCHAR NULL: SIF, ILACS, LAC2013 or NULL for every framework
SELECT * FROM theme_separation(from_date := $from_date, to_date := $to_date,
                               framework := $framework)
