-- Build step 8: the report text as something to query. Full-text search (BM25 over a
-- term-frequency index built here), the theme dictionary (data/curated/themes.csv) tagged onto
-- every section and improvement point, and the theme measures. README.md, "Report text".
--
-- Why not DuckDB's fts extension: it cannot be installed offline with the pinned duckdb, and its
-- index lives outside the plain tables an analyst can read. BM25 is a sum over a term table;
-- keeping it in SQL keeps it inspectable (report_terms, report_term_stats) and lets the search
-- join the model's filters (framework, grades, LA, region, dates) before it scores.
--
-- Tokens: lower-cased runs of letters and digits (2 to 40 characters; "children's" gives
-- "children"; "multi-agency" gives "multi" and "agency"), reduced by Harman's S-stemmer
-- (assessments -> assessment, authorities -> authority, services -> service): a plural stemmer,
-- deliberately light, so that a search never matches a word a reader would call different.

-- Harman (1991) S-stemmer: the first rule that applies.
CREATE MACRO stem_token(w) AS
    CASE WHEN length(w) > 4 AND suffix(w, 'ies') AND NOT suffix(w, 'eies') AND NOT suffix(w, 'aies')
              THEN left(w, -3) || 'y'
         WHEN length(w) > 3 AND suffix(w, 'es') AND NOT suffix(w, 'aes') AND NOT suffix(w, 'ees')
              AND NOT suffix(w, 'oes')
              THEN left(w, -1)
         WHEN length(w) > 3 AND suffix(w, 's') AND NOT suffix(w, 'us') AND NOT suffix(w, 'ss')
              THEN left(w, -1)
         ELSE w END;

-- The words of a text, as the index sees them (before stemming): runs of 2-40 letters/digits.
CREATE MACRO text_tokens(t) AS regexp_extract_all(lower(t), '[a-z0-9]{2,40}');

-- The stems of a text, in order.
CREATE MACRO text_stems(t) AS list_transform(text_tokens(t), lambda x: stem_token(x));

-- A regular expression matching a word with this stem in any of the forms the stemmer folds
-- (leaver: leaver, leavers, leaver's; authority: authority, authorities).
CREATE MACRO stem_pattern(s) AS
    CASE WHEN suffix(s, 'y') AND length(s) > 2 THEN left(s, -1) || '(?:y|ies)'
         WHEN suffix(s, 'e') THEN s || 's?'
         ELSE s || '(?:es|s)?' END || '(?:[''’]s?)?';

-- A phrase as a regular expression: its words in order, any punctuation or spacing between.
CREATE MACRO phrase_pattern(p) AS
    '\b' || array_to_string(list_transform(text_stems(p), lambda s: stem_pattern(s)), '[^a-z0-9]+') || '\b';

-- ---------------------------------------------------------------- the searchable documents

-- One search document per section per page (report_sections' rows), with what the filters
-- and the results need about its inspection. The grade band is the inspection's overall
-- effectiveness; where a report gives none (ILACS since April 2026, an LSCB review) it is the
-- worst of the judgements it gives.
CREATE TABLE report_docs AS
WITH report_inspection AS (
    SELECT DISTINCT source_id, inspection_id FROM inspection_records
    WHERE source_id IN (SELECT DISTINCT source_id FROM report_sections)
),
grades_of AS (
    SELECT j.inspection_id,
           max(j.grade) FILTER (WHERE j.area = 'overall_effectiveness') AS overall_grade,
           arg_max(j.grade, g.grade_rank) FILTER (WHERE g.grade_rank < 9) AS worst_grade
    FROM judgements j JOIN grades g USING (grade)
    GROUP BY j.inspection_id
)
SELECT row_number() OVER (ORDER BY s.source_id, s.seq)::INTEGER AS doc_id,
       s.source_id, s.seq, s.section_no, s.heading, s.page, s.text,
       ri.inspection_id, i.la_code, l.name AS la_name, l.region_name, i.framework,
       i.inspection_type, i.start_date, i.end_date, i.published_date,
       coalesce(year(i.published_date), year(i.end_date)) AS year,
       go.overall_grade,
       CASE WHEN gb.is_good_or_better THEN 'good_or_better' WHEN gb.is_failing THEN 'failing' END
           AS grade_band,
       src.url AS report_url
FROM report_sections s
JOIN report_inspection ri USING (source_id)
JOIN inspections i ON i.inspection_id = ri.inspection_id
JOIN local_authorities l ON l.la_code = i.la_code
LEFT JOIN grades_of go ON go.inspection_id = ri.inspection_id
LEFT JOIN grades gb ON gb.grade = coalesce(go.overall_grade, go.worst_grade)
LEFT JOIN sources src ON src.source_id = s.source_id;

-- Every word of every document with its position, stemmed: what the themes' phrases are matched
-- on at build (a phrase is its stems at consecutive positions). Each distinct word is stemmed
-- once. A temporary table: the search reads report_postings, and 4 million rows need not be
-- stored.
CREATE TEMP TABLE report_tokens AS
WITH raw AS (
    SELECT doc_id, unnest(toks) AS tok, generate_subscripts(toks, 1) AS pos
    FROM (SELECT doc_id, text_tokens(heading || ' ' || text) AS toks FROM report_docs)
),
dict AS (SELECT tok, stem_token(tok) AS term FROM (SELECT DISTINCT tok FROM raw))
SELECT d.term, r.doc_id, r.pos::INTEGER AS pos
FROM raw r JOIN dict d USING (tok);

-- The key makes fetching a few documents by id (a search's results) an index look-up instead of
-- a scan of all the text.
ALTER TABLE report_docs ADD PRIMARY KEY (doc_id);

-- The term-frequency index: one row per term per document.
CREATE TABLE report_terms AS
SELECT term, doc_id, count(*)::INTEGER AS tf
FROM report_tokens GROUP BY term, doc_id;

-- Document lengths (in tokens) and the corpus figures BM25 needs.
CREATE TABLE report_doc_lengths AS
SELECT doc_id, sum(tf)::INTEGER AS doc_len FROM report_terms GROUP BY doc_id ORDER BY doc_id;

CREATE TABLE report_corpus AS
SELECT count(*)::INTEGER AS n_docs, avg(doc_len) AS avg_doc_len,
       1.2 AS k1, 0.75 AS b           -- BM25's usual constants
FROM report_doc_lengths;

CREATE TABLE report_term_stats AS
SELECT t.term, count(*)::INTEGER AS df,
       ln(1 + (any_value(c.n_docs) - count(*) + 0.5) / (count(*) + 0.5)) AS idf
FROM report_terms t, report_corpus c GROUP BY t.term ORDER BY t.term;

-- The inverted index the search reads: per term, its documents and each one's BM25 weight
-- (k1 = 1.2, b = 0.75), so that a query reads one row per query word and sums the weights.
CREATE TABLE report_postings AS
SELECT t.term,
       list(t.doc_id ORDER BY t.doc_id) AS doc_ids,
       list(CAST(st.idf * t.tf * (c.k1 + 1)
                 / (t.tf + c.k1 * (1 - c.b + c.b * dl.doc_len / c.avg_doc_len)) AS FLOAT)
            ORDER BY t.doc_id) AS weights
FROM report_terms t
JOIN report_doc_lengths dl USING (doc_id)
JOIN report_term_stats st USING (term)
CROSS JOIN report_corpus c
GROUP BY t.term
ORDER BY t.term;

-- The i-th "quoted phrase" of a query as a regular expression ('' when there is none: it
-- matches everything). A function of the query alone, so it is compiled once per search.
CREATE MACRO query_phrase(query, i) AS
    coalesce(phrase_pattern(regexp_extract_all(query, '"([^"]+)"', 1)[i]), '');

-- ---------------------------------------------------------------- search

-- Sections ranked by BM25 for a query: words (any of them; the more and rarer, the higher),
-- "quoted phrases" (each must appear, words in order), filters on the inspection. `grade` is
-- a grade (good, requires_improvement, ...) or a band (good_or_better, failing) of `area`
-- (default overall effectiveness; 'any' = any judgement of the inspection). `la` is a DfE
-- code or a name. The snippet is about 300 characters around the first match, every matched
-- word marked «like this».
CREATE MACRO search_reports(query, framework := NULL, grade := NULL, area := 'overall_effectiveness',
                            la := NULL, region := NULL, from_date := NULL, to_date := NULL,
                            max_results := 50) AS TABLE
WITH docs AS (
    SELECT d.doc_id FROM report_docs d
    WHERE (framework IS NULL OR d.framework = framework)
      AND (la IS NULL OR d.la_code = CAST(la AS VARCHAR) OR lower(d.la_name) = lower(CAST(la AS VARCHAR)))
      AND (region IS NULL OR lower(d.region_name) = lower(region))
      AND (from_date IS NULL OR d.published_date >= CAST(from_date AS DATE))
      AND (to_date IS NULL OR d.published_date <= CAST(to_date AS DATE))
      AND (grade IS NULL OR EXISTS (
            SELECT 1 FROM judgements j JOIN grades g USING (grade)
            WHERE j.inspection_id = d.inspection_id
              AND (area = 'any' OR j.area = area)
              AND (j.grade = grade
                   OR (grade = 'good_or_better' AND g.is_good_or_better)
                   OR (grade = 'failing' AND g.is_failing))))
),
q AS (SELECT list_distinct(text_stems(query)) AS terms),
postings AS (
    SELECT unnest(p.doc_ids) AS doc_id, unnest(p.weights) AS weight
    FROM report_postings p JOIN (SELECT unnest(terms) AS term FROM q) qt ON qt.term = p.term
),
-- without filters every document counts; with them, only those the filters keep (the
-- branch that does not apply is dropped when the macro is planned)
kept AS (
    SELECT doc_id, weight FROM postings
    WHERE framework IS NULL AND grade IS NULL AND la IS NULL AND region IS NULL
      AND from_date IS NULL AND to_date IS NULL
    UNION ALL
    SELECT doc_id, weight FROM postings SEMI JOIN docs USING (doc_id)
    WHERE NOT (framework IS NULL AND grade IS NULL AND la IS NULL AND region IS NULL
               AND from_date IS NULL AND to_date IS NULL)
),
scored AS (
    SELECT doc_id, sum(weight) AS score, count(*) AS terms_matched
    FROM kept
    GROUP BY doc_id
    ORDER BY score DESC, doc_id
    -- with quoted phrases, the best-scoring sections are checked for them (up to three
    -- phrases; the 500 best, or 10 times max_results, are checked)
    LIMIT CASE WHEN query LIKE '%"%"%' THEN greatest(500, 10 * max_results) ELSE max_results END
),
ranked AS (
    SELECT s.doc_id, s.score, s.terms_matched
    FROM scored s JOIN report_docs d USING (doc_id)
    WHERE NOT query LIKE '%"%"%'
       OR (regexp_matches(d.heading || ' ' || d.text, query_phrase(query, 1), 'i')
           AND regexp_matches(d.heading || ' ' || d.text, query_phrase(query, 2), 'i')
           AND regexp_matches(d.heading || ' ' || d.text, query_phrase(query, 3), 'i'))
    ORDER BY s.score DESC, s.doc_id
    LIMIT max_results
),
words AS (
    SELECT '\b(?:' || array_to_string(list_transform(terms, lambda x: stem_pattern(x)), '|') || ')\b'
               AS any_word
    FROM q
),
located AS (
    SELECT r.doc_id, r.score, r.terms_matched, d.* EXCLUDE (doc_id),
           -- the snippet starts a little before the first matched word
           coalesce(nullif(instr(lower(d.text), regexp_extract(lower(d.text), w.any_word)), 0), 1)
               AS hit
    FROM ranked r JOIN report_docs d USING (doc_id), words w
)
SELECT row_number() OVER (ORDER BY l.score DESC, l.doc_id) AS rank,
       round(l.score, 3) AS score, l.la_code, l.la_name, l.region_name, l.framework,
       l.inspection_type, l.published_date, l.overall_grade, l.grade_band, l.heading, l.page,
       regexp_replace(
           (CASE WHEN l.hit > 120 THEN '…' ELSE '' END)
           || trim(regexp_replace(substring(l.text, greatest(1, l.hit - 120), 300), '\s+', ' ', 'g'))
           || (CASE WHEN length(l.text) > l.hit + 180 THEN '…' ELSE '' END),
           w.any_word, '«\0»', 'gi') AS snippet,
       l.inspection_id, l.source_id, l.report_url, l.doc_id, l.section_no, l.terms_matched
FROM located l, words w
ORDER BY rank;

-- ---------------------------------------------------------------- themes

-- The theme dictionary, versioned in the repository (data/curated/themes.csv).
CREATE TABLE themes AS
SELECT theme_id, label, description, phrases, CAST(version AS INTEGER) AS version
FROM read_csv(getvariable('curated_dir') || '/themes.csv', header = true, all_varchar = true);

-- One row per signalling phrase, with its pattern (for quoting sentences) and its stems.
-- phrase_id: what the matching groups on (a number hashes faster than two strings: the
-- grouping below runs over ~4 million word matches).
CREATE TABLE theme_phrases AS
SELECT row_number() OVER (ORDER BY t.theme_id, trim(p.phrase))::INTEGER AS phrase_id,
       t.theme_id, trim(p.phrase) AS phrase, phrase_pattern(trim(p.phrase)) AS pattern,
       text_stems(trim(p.phrase)) AS stems
FROM themes t, unnest(string_split(t.phrases, ';')) p(phrase)
WHERE trim(p.phrase) <> '';

CREATE TABLE theme_phrase_stems AS
SELECT phrase_id, theme_id, phrase, unnest(stems) AS stem, generate_subscripts(stems, 1) AS k,
       len(stems) AS n
FROM theme_phrases;

-- Sections that carry a theme: a phrase's stems at consecutive positions (the same matching
-- as a quoted search). Mentions count distinct places (a place where two of a theme's phrases
-- end, "sexual exploitation" and "exploitation", counts once).
CREATE TABLE report_doc_themes AS
WITH hits AS (
    SELECT ps.phrase_id, t.doc_id, t.pos - ps.k + ps.n AS end_pos
    FROM theme_phrase_stems ps JOIN report_tokens t ON t.term = ps.stem
    GROUP BY ps.phrase_id, t.doc_id, t.pos - ps.k + ps.n, ps.n
    HAVING count(*) = ps.n
)
SELECT h.doc_id, p.theme_id, count(DISTINCT h.end_pos)::INTEGER AS mentions,
       list(DISTINCT p.phrase ORDER BY p.phrase) AS phrases
FROM hits h JOIN theme_phrases p USING (phrase_id)
GROUP BY h.doc_id, p.theme_id
ORDER BY doc_id, theme_id;

-- Improvement points with their inspection, and the themes each carries.
CREATE VIEW improvement_points_detail AS
SELECT p.source_id, p.part, p.seq, p.text, p.national_framework_outcome, p.page,
       d.inspection_id, d.la_code, d.la_name, d.region_name, d.framework, d.inspection_type,
       d.published_date, d.year, d.overall_grade, d.grade_band, d.report_url
FROM improvement_points p
JOIN (SELECT DISTINCT source_id, inspection_id, la_code, la_name, region_name, framework,
             inspection_type, published_date, year, overall_grade, grade_band, report_url
      FROM report_docs) d USING (source_id);

CREATE TABLE improvement_point_themes AS
WITH tokens AS (
    SELECT source_id, seq, unnest(stems) AS stem, generate_subscripts(stems, 1) AS pos
    FROM (SELECT source_id, seq, text_stems(text) AS stems FROM improvement_points)
),
hits AS (
    SELECT t.source_id, t.seq, ps.theme_id, ps.phrase
    FROM theme_phrase_stems ps JOIN tokens t USING (stem)
    GROUP BY t.source_id, t.seq, ps.theme_id, ps.phrase, t.pos - ps.k, ps.n
    HAVING count(*) = ps.n
)
SELECT source_id, seq, theme_id, list(DISTINCT phrase ORDER BY phrase) AS phrases
FROM hits GROUP BY source_id, seq, theme_id
ORDER BY source_id, seq, theme_id;

-- One row per report (a parsed report with text), its words and grade band, for the measures.
CREATE TABLE report_text_reports AS
SELECT d.source_id, any_value(d.inspection_id) AS inspection_id, any_value(d.la_code) AS la_code,
       any_value(d.la_name) AS la_name, any_value(d.framework) AS framework,
       any_value(d.inspection_type) AS inspection_type, any_value(d.published_date) AS published_date,
       any_value(d.year) AS year, any_value(d.overall_grade) AS overall_grade,
       any_value(d.grade_band) AS grade_band, sum(dl.doc_len)::INTEGER AS words,
       count(*)::INTEGER AS sections
FROM report_docs d JOIN report_doc_lengths dl USING (doc_id)
GROUP BY d.source_id;

-- Per report and theme: mentions, and mentions per 10,000 words.
CREATE TABLE report_themes AS
SELECT d.source_id, dt.theme_id, sum(dt.mentions)::INTEGER AS mentions,
       round(10000.0 * sum(dt.mentions) / any_value(r.words), 2) AS per_10k_words
FROM report_doc_themes dt JOIN report_docs d USING (doc_id)
JOIN report_text_reports r USING (source_id)
GROUP BY d.source_id, dt.theme_id;

-- Share of reports (and of their improvement points) mentioning each theme, by the
-- inspection's grade band, optionally by framework and by year of publication. A report
-- "mentions" a theme when it carries it at least `min_per_10k` times per 10,000 words (default
-- 1: once in a typical 10,000-word SIF report), so that a passing phrase does not count.
CREATE MACRO theme_shares(from_date := NULL, to_date := NULL, framework := NULL,
                          by_framework := true, by_year := false, min_per_10k := 1.0) AS TABLE
WITH reps AS (
    SELECT r.*, CASE WHEN by_framework THEN r.framework END AS fw_group,
           CASE WHEN by_year THEN r.year END AS year_group
    FROM report_text_reports r
    WHERE r.grade_band IS NOT NULL
      AND (framework IS NULL OR r.framework = framework)
      AND (from_date IS NULL OR r.published_date >= CAST(from_date AS DATE))
      AND (to_date IS NULL OR r.published_date <= CAST(to_date AS DATE))
),
report_counts AS (
    SELECT th.theme_id, th.label, reps.grade_band, reps.fw_group, reps.year_group,
           count(*) AS n_reports,
           count(*) FILTER (WHERE rt.per_10k_words >= min_per_10k) AS n_reports_mentioning,
           avg(coalesce(rt.per_10k_words, 0)) AS mean_per_10k_words
    FROM reps CROSS JOIN themes th
    LEFT JOIN report_themes rt ON rt.source_id = reps.source_id AND rt.theme_id = th.theme_id
    GROUP BY ALL
),
point_counts AS (
    SELECT th.theme_id, reps.grade_band, reps.fw_group, reps.year_group,
           count(*) AS n_points,
           count(*) FILTER (WHERE EXISTS (SELECT 1 FROM improvement_point_themes pt
                                          WHERE pt.source_id = p.source_id AND pt.seq = p.seq
                                            AND pt.theme_id = th.theme_id)) AS n_points_tagged
    FROM reps JOIN improvement_points p USING (source_id) CROSS JOIN themes th
    GROUP BY ALL
)
SELECT r.theme_id, r.label, r.grade_band, r.fw_group AS framework, r.year_group AS year,
       r.n_reports, r.n_reports_mentioning,
       round(r.n_reports_mentioning / r.n_reports, 3) AS share_reports,
       round(r.mean_per_10k_words, 2) AS mean_per_10k_words,
       coalesce(p.n_points, 0) AS n_points, coalesce(p.n_points_tagged, 0) AS n_points_tagged,
       round(p.n_points_tagged / nullif(p.n_points, 0), 3) AS share_points
FROM report_counts r
LEFT JOIN point_counts p ON p.theme_id = r.theme_id AND p.grade_band = r.grade_band
     AND p.fw_group IS NOT DISTINCT FROM r.fw_group AND p.year_group IS NOT DISTINCT FROM r.year_group
ORDER BY 1, 3, 4, 5;

-- The themes that most separate reports on failing authorities (requires improvement or
-- inadequate) from good or outstanding ones. Compared within each framework (a SIF report is
-- twice as long as an ILACS one and reviews the LSCB, so pooling frameworks would mostly
-- measure the framework), then averaged over the frameworks, each weighted by the smaller of its
-- two groups of reports: `log2_ratio` is how much more often failing reports mention the theme
-- per 10,000 words (+1 = twice as often, -1 = half as often); `points_difference` the
-- difference in the share of improvement points that carry it. Ranked by the size of the ratio.
CREATE MACRO theme_separation(from_date := NULL, to_date := NULL, framework := NULL,
                              min_per_10k := 1.0) AS TABLE
WITH s AS (
    SELECT * FROM theme_shares(from_date := from_date, to_date := to_date, framework := framework,
                               by_framework := true, by_year := false, min_per_10k := min_per_10k)
),
pairs AS (
    SELECT f.theme_id, f.label, f.framework AS fw, g.n_reports AS good_n, f.n_reports AS failing_n,
           least(g.n_reports, f.n_reports) AS w,
           g.mean_per_10k_words AS good_10k, f.mean_per_10k_words AS failing_10k,
           g.share_reports AS good_share, f.share_reports AS failing_share,
           g.share_points AS good_points, f.share_points AS failing_points
    FROM s f JOIN s g ON g.theme_id = f.theme_id AND g.framework = f.framework
                     AND g.grade_band = 'good_or_better'
    WHERE f.grade_band = 'failing'
)
SELECT theme_id, label,
       sum(good_n)::INTEGER AS good_reports, sum(failing_n)::INTEGER AS failing_reports,
       round(sum(w * good_10k) / sum(w), 2) AS good_per_10k_words,
       round(sum(w * failing_10k) / sum(w), 2) AS failing_per_10k_words,
       round(sum(w * log2((failing_10k + 0.1) / (good_10k + 0.1))) / sum(w), 3) AS log2_ratio,
       round(sum(w * good_share) / sum(w), 3) AS good_share_reports,
       round(sum(w * failing_share) / sum(w), 3) AS failing_share_reports,
       round(sum(w * good_points) / sum(w), 3) AS good_share_points,
       round(sum(w * failing_points) / sum(w), 3) AS failing_share_points,
       round(sum(w * (failing_points - good_points)) / sum(w), 3) AS points_difference,
       CASE WHEN round(sum(w * log2((failing_10k + 0.1) / (good_10k + 0.1))) / sum(w), 3) >= 0
            THEN 'failing'
            ELSE 'good_or_better' END AS more_in,
       string_agg(fw, ', ' ORDER BY fw) AS frameworks
FROM pairs
GROUP BY theme_id, label
ORDER BY abs(log2_ratio) DESC, theme_id;

-- Sentences of the sections that carry a theme (for quoting), with where they are printed.
CREATE MACRO theme_sentences(theme, from_date := NULL, to_date := NULL, framework := NULL,
                             grade_band := NULL, max_results := 200) AS TABLE
WITH picked AS (
    -- the most recent sections carrying the theme: each has at least one sentence that does
    SELECT d.doc_id FROM report_docs d JOIN report_doc_themes dt USING (doc_id)
    WHERE dt.theme_id = theme
      AND (framework IS NULL OR d.framework = framework)
      AND (grade_band IS NULL OR d.grade_band = grade_band)
      AND (from_date IS NULL OR d.published_date >= CAST(from_date AS DATE))
      AND (to_date IS NULL OR d.published_date <= CAST(to_date AS DATE))
    ORDER BY d.published_date DESC, d.doc_id
    LIMIT max_results
),
-- their text read once they are chosen (not the text of every candidate section)
docs AS (SELECT d.* FROM report_docs d WHERE d.doc_id IN (SELECT p.doc_id FROM picked p)),
-- (pos: the sentence's place in its section, so that sentences of one section come in reading
-- order and the limit keeps the first ones)
sentences AS (
    SELECT d.doc_id, u.sentence, u.pos
    FROM docs d, unnest(regexp_extract_all(d.text, '[^.!?\n][^.!?]*[.!?]'))
                 WITH ORDINALITY AS u(sentence, pos)
),
-- the theme's phrases as case-insensitive patterns, with the letters every match of one
-- starts with (its first stem without the ending the pattern varies; NULL: no word, so every
-- sentence is tested)
phrases AS (
    SELECT '(?i)' || tp.pattern AS rx,
           CASE WHEN suffix(tp.stems[1], 'y') AND length(tp.stems[1]) > 2
                THEN left(tp.stems[1], -1) ELSE tp.stems[1] END AS first
    FROM theme_phrases tp WHERE tp.theme_id = theme
)
SELECT d.la_name, d.published_date, d.framework, d.overall_grade, d.grade_band, d.heading, d.page,
       trim(s.sentence) AS sentence, d.inspection_id, d.source_id, d.report_url, d.doc_id
FROM sentences s JOIN docs d USING (doc_id)
-- a sentence carries the theme when one of its phrases matches. A pattern that is not a
-- constant is compiled for each sentence it is tested on: each phrase is tested only on the
-- sentences holding its first letters (the same sentences match as with the phrases' union)
WHERE EXISTS (SELECT 1 FROM phrases p
              WHERE CASE WHEN p.first IS NULL OR contains(lower(s.sentence), p.first)
                         THEN regexp_matches(s.sentence, p.rx) ELSE false END)
ORDER BY d.published_date DESC, d.doc_id, s.pos
LIMIT max_results;

COMMENT ON TABLE report_sections IS 'Report text: each section on each page (headers, footers and page numbers removed)';
COMMENT ON TABLE improvement_points IS 'What each report says must improve, in order, with its part and national framework outcome';
COMMENT ON TABLE report_docs IS 'Search documents: a section on a page, with its inspection, LA, framework, grades and grade band';
COMMENT ON TABLE report_terms IS 'Full-text index: stemmed term, document, term frequency';
COMMENT ON TABLE report_postings IS 'Inverted index: per term, its documents and their BM25 weights (what search_reports reads)';
COMMENT ON TABLE report_term_stats IS 'Per term: documents holding it and its BM25 idf';
COMMENT ON TABLE themes IS 'The theme dictionary (data/curated/themes.csv): id, label, description, signalling phrases, version';
COMMENT ON TABLE theme_phrases IS 'One row per theme phrase with its regular expression';
COMMENT ON TABLE report_doc_themes IS 'Sections carrying a theme, with mentions and the phrases found';
COMMENT ON TABLE improvement_point_themes IS 'Improvement points carrying a theme';
COMMENT ON TABLE report_themes IS 'Per report and theme: mentions and mentions per 10,000 words';
COMMENT ON TABLE report_text_reports IS 'Reports with text: inspection, grade band, words, sections';
COMMENT ON VIEW improvement_points_detail IS 'Improvement points with their inspection, LA, framework, grades';
