-- Quotes for a briefing: per theme and grade band, the sentences of the window's reports (as
-- briefing_themes) that carry the theme and judge it, best first, one per LA, with the page
-- and report they are printed in. Good or outstanding reports give praise (a sentence with a
-- strength word and no weakness word), failing reports criticism (more weakness words than
-- strength words); the word lists are below, on purpose short and plain. Improvement lists,
-- recommendations, the inspection team and the "what the judgements mean" boilerplate are not
-- quoted. n_sentences and n_reports count every such sentence and report, not just the quoted.
-- param framework VARCHAR NULL: SIF, ILACS, LAC2013 or NULL for any children's services framework
-- param from_date DATE: reports published on or after this date
-- param to_date DATE: reports published on or before this date
-- param las VARCHAR NULL: comma-separated DfE codes of the LAs to keep (NULL: every LA)
-- param per_theme INTEGER: quotes per theme and band
WITH reps AS (
    SELECT r.source_id FROM report_text_reports r
    WHERE r.grade_band IS NOT NULL
      AND r.inspection_id IN (
          SELECT inspection_id FROM published_between('overall_effectiveness', $from_date,
                                                      $to_date, framework := $framework))
      AND ($las IS NULL OR list_contains(string_split($las, ','), r.la_code))
),
docs AS (
    SELECT d.* FROM report_docs d SEMI JOIN reps USING (source_id)
    WHERE NOT regexp_matches(coalesce(d.heading, ''),
        '(?i)improve|recommendation|priority and immediate|what the inspection judg|'
        'information about|inspection team|ofsted inspections|summary for children|'
        'other information|key judgement')
),
paragraphs AS (
    SELECT doc_id,
           regexp_replace(regexp_replace(unnest(regexp_split_to_array(text, '\n\s*\n')),
                                         '^\s*\d+\.\s+', ''), '\s+', ' ', 'g') AS para
    FROM docs
),
sentences AS (
    -- a full stop followed by a lower-case letter, a digit or a comma ends no sentence
    -- ("e.g. the", "3.5 years")
    SELECT doc_id, sentence,
           -- its stems between spaces: a theme phrase is in it when its stems are, in order
           ' ' || array_to_string(text_stems(sentence), ' ') || ' ' AS stems
    FROM (SELECT doc_id,
                 -- without a list's bullet or dash at its start
                 regexp_replace(trim(unnest(regexp_extract_all(
                     para, '(?:[^.!?]|\.[a-z0-9,]|\.\s+[a-z])+[.!?]'))),
                     '^[•◼▪■●◦‣∙·*–—-]+\s*', '') AS sentence
          FROM paragraphs)
    WHERE length(sentence) BETWEEN 60 AND 420
),
carrying AS (
    -- matched as the build tags sections (sql/08_text.sql): the phrase's stems side by side
    SELECT dt.theme_id, s.doc_id, s.sentence, list(DISTINCT tp.phrase ORDER BY tp.phrase) AS phrases
    FROM sentences s
    JOIN report_doc_themes dt USING (doc_id)
    JOIN theme_phrases tp ON tp.theme_id = dt.theme_id
    WHERE contains(s.stems, ' ' || array_to_string(tp.stems, ' ') || ' ')
    GROUP BY dt.theme_id, s.doc_id, s.sentence
),
toned AS (
    SELECT c.*, d.grade_band,
           len(regexp_extract_all(
               regexp_replace(lower(c.sentence),
                              'as well as|requires? improvement to be good|not good enough|not as good', '', 'g'),
               '\b(?:effective|effectively|strong|strongly|strength|strengths|good|well|robust|'
               'timely|high quality|high-quality|positive|positively|improved|outstanding|'
               'excellent|comprehensive|thorough|clear|clearly|consistent|consistently|'
               'skilled|innovative|purposeful|responsive|swift|swiftly|prompt|promptly|'
               'sustained|valued|impressive)\b')) AS strengths,
           len(regexp_extract_all(lower(c.sentence),
               '\b(?:not|no|too|weak|weaker|weakness|weaknesses|inconsistent|inconsistently|'
               'variable|delay|delays|delayed|poor|poorly|lack|lacks|lacking|insufficient|'
               'insufficiently|limited|drift|concern|concerns|inadequate|fail|fails|failed|'
               'failing|slow|slowly|unallocated|shortfall|shortfalls|gap|gaps|deficit|'
               'deficits|absence|unclear|cannot|few|ineffective|unable|unacceptable|lengthy|'
               'backlog|backlogs|vacancies|turnover|requires improvement|lacked|shortcomings|'
               'areas? for development|areas? for improvement)\b')) AS weaknesses
    FROM carrying c JOIN docs d USING (doc_id)
),
judged AS (
    SELECT t.*, CASE WHEN t.grade_band = 'good_or_better' THEN t.strengths
                     ELSE t.weaknesses - t.strengths END AS tone
    FROM toned t
    WHERE (t.grade_band = 'good_or_better' AND t.strengths > 0 AND t.weaknesses = 0)
       OR (t.grade_band = 'failing' AND t.weaknesses > t.strengths)
),
counted AS (
    SELECT j.*, d.source_id, d.la_code, d.la_name, d.published_date, d.page, d.heading,
           d.report_url, d.overall_grade, d.inspection_type,
           count(*) OVER (PARTITION BY j.theme_id, j.grade_band) AS n_sentences,
           count(DISTINCT d.source_id) OVER (PARTITION BY j.theme_id, j.grade_band) AS n_reports,
           -- the LA's best sentence: the most judging, then the closest to 200 characters
           row_number() OVER (PARTITION BY j.theme_id, j.grade_band, d.la_code
                              ORDER BY j.tone DESC, abs(length(j.sentence) - 200), j.doc_id,
                                       j.sentence) AS la_rank
    FROM judged j JOIN docs d USING (doc_id)
),
ranked AS (
    SELECT c.*, row_number() OVER (PARTITION BY c.theme_id, c.grade_band
                                   ORDER BY c.tone DESC, abs(length(c.sentence) - 200),
                                            c.published_date, c.la_name, c.doc_id) AS quote_rank
    FROM counted c WHERE c.la_rank = 1
)
SELECT theme_id, grade_band, n_sentences, n_reports, quote_rank, la_code, la_name,
       published_date, inspection_type, overall_grade, page, heading, sentence, phrases,
       report_url, source_id, strengths, weaknesses
FROM ranked
WHERE quote_rank <= $per_theme
ORDER BY theme_id, grade_band, quote_rank
