-- The words a search matches, as the index sees them (stems) and as one regular expression
-- over a text's words in any form the stemmer folds (the pattern search_reports marks its
-- snippets with). The page marks matched words itself, after escaping the report's text.
-- param query VARCHAR: words and "quoted phrases"
SELECT list_distinct(text_stems($query)) AS terms,
       '\b(?:' || array_to_string(list_transform(list_distinct(text_stems($query)),
                                                 lambda x: stem_pattern(x)), '|') || ')\b'
           AS pattern
