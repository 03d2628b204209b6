-- The report figures by their definition (sql/08_text.sql before issue 14): theme_sentences
-- tests every sentence of the sections against the theme's regular expression.
-- sql/08_text.sql tests only the sentences holding a phrase's first word first (the pattern
-- is not a constant, so DuckDB compiles it again for every sentence it tests);
-- tests/test_scale_equivalence.py loads this over a copy of the built database and asserts
-- that every named query answers the same. Both order a section's sentences by their place in
-- it (before, the limit cut among them arbitrarily).

CREATE OR REPLACE MACRO theme_sentences(theme, from_date := NULL, to_date := NULL, framework := NULL,
                             grade_band := NULL, max_results := 200) AS TABLE
WITH docs AS (
    -- the most recent sections carrying the theme: each has at least one sentence that does
    SELECT d.* FROM report_docs d JOIN report_doc_themes dt USING (doc_id)
    WHERE dt.theme_id = theme
      AND (framework IS NULL OR d.framework = framework)
      AND (grade_band IS NULL OR d.grade_band = grade_band)
      AND (from_date IS NULL OR d.published_date >= CAST(from_date AS DATE))
      AND (to_date IS NULL OR d.published_date <= CAST(to_date AS DATE))
    ORDER BY d.published_date DESC, d.doc_id
    LIMIT max_results
),
-- (pos: the sentence's place in its section, so that sentences of one section come in reading
-- order and the limit keeps the first ones)
sentences AS (
    SELECT d.doc_id, u.sentence, u.pos
    FROM docs d, unnest(regexp_extract_all(d.text, '[^.!?\n][^.!?]*[.!?]'))
                 WITH ORDINALITY AS u(sentence, pos)
),
patterns AS (
    SELECT '(?i)(?:' || string_agg(pattern, '|') || ')' AS rx FROM theme_phrases WHERE theme_id = theme
)
SELECT d.la_name, d.published_date, d.framework, d.overall_grade, d.grade_band, d.heading, d.page,
       trim(s.sentence) AS sentence, d.inspection_id, d.source_id, d.report_url, d.doc_id
FROM sentences s JOIN docs d USING (doc_id), patterns
WHERE regexp_matches(s.sentence, patterns.rx)
ORDER BY d.published_date DESC, d.doc_id, s.pos
LIMIT max_results;
