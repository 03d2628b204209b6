-- Build step 5: table macros, the public analytical API (README.md, "The SQL model").
-- Bases (domain brief): an LA counts "as at" a date with its latest judgement from an inspection
-- that ended on or before that date and whose report was published on or before `published_by`
-- (default: the same date). Ofsted's own statistics use a later publication cut-off.
-- Denominators use the LAs that existed on the date (local_authorities.valid_from/valid_to).

-- LAs that existed on a date.
CREATE MACRO las_on(as_at) AS TABLE
SELECT l.* FROM local_authorities l
WHERE (l.valid_from IS NULL OR l.valid_from <= as_at)
  AND (l.valid_to IS NULL OR l.valid_to >= as_at);

-- Month ends from from_date to to_date (to_date itself is the last point if not a month end).
CREATE MACRO month_ends(from_date, to_date) AS TABLE
SELECT DISTINCT least(CAST(last_day(m) AS DATE), CAST(to_date AS DATE)) AS month_end
FROM generate_series(CAST(date_trunc('month', CAST(from_date AS DATE)) AS TIMESTAMP),
                     CAST(to_date AS TIMESTAMP), INTERVAL 1 MONTH) t(m);

-- Judgements eligible to count: a real grade, dated, under the framework asked for.
CREATE MACRO dated_judgements(area, framework := NULL, include_secondary := true) AS TABLE
SELECT i.la_code, i.inspection_id, i.framework, i.inspection_type, i.start_date, i.end_date,
       i.published_date, i.report_url, coalesce(i.end_date, i.published_date) AS ended,
       j.grade, j.grade_rank, j.grade_text, j.source_id, j.evidence, j.has_conflict
FROM inspections i
JOIN judgement_bases j ON j.inspection_id = i.inspection_id
WHERE j.area = area
  AND j.grade <> 'not_judged'
  AND i.published_date IS NOT NULL
  AND (framework IS NULL OR i.framework = framework)
  AND (include_secondary OR j.evidence <> 'secondary');

-- Validity intervals of winners, the algorithm judgement_intervals_computed, ilacs_last_intervals
-- and area_send_intervals share. `candidates` names a table or CTE with a partition key `part`
-- (an LA; or an area, LA and framework), a rank `k` (higher wins), `eligible_from` (the day a
-- candidate starts to count; it counts from then on) and `carry` (a value or NULL). On any day
-- a partition's winner is its eligible candidate with the highest k, so, as eligibility only
-- grows, the winner changes only when a newly eligible candidate beats the one holding: each
-- winner holds from its eligible_from (valid_from) to the day before the next one's (valid_to;
-- NULL: still holds). carried is the last non-NULL carry among the winners so far (this one
-- included; a winner beaten on the day it became eligible holds no day and is not returned, but
-- counts here). Every column of `candidates` is returned as it is.
CREATE MACRO winning_intervals(candidates) AS TABLE
WITH runs AS (
    SELECT *, max(k) OVER (PARTITION BY part ORDER BY eligible_from, k
                           ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS beaten_by
    FROM query_table(candidates)
),
winners AS (
    SELECT * EXCLUDE (beaten_by),
           lead(eligible_from) OVER (PARTITION BY part ORDER BY eligible_from, k) AS next_from,
           last_value(carry IGNORE NULLS)
               OVER (PARTITION BY part ORDER BY eligible_from, k
                     ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS carried
    FROM runs WHERE beaten_by IS NULL OR k > beaten_by
)
SELECT * EXCLUDE (next_from), eligible_from AS valid_from,
       CAST(next_from - INTERVAL 1 DAY AS DATE) AS valid_to
FROM winners
WHERE next_from IS NULL OR next_from > eligible_from;

-- Each LA's winning judgement in an area as validity intervals: the row judgements_as_at_series
-- gives for the LA on any date from valid_from to valid_to (inclusive; NULL: still holds), with
-- published_by left at its default (the date itself). A judgement becomes eligible when its
-- inspection has ended and its report is published; among the eligible ones the as-at ordering
-- picks one (k: higher wins; latest: last ended, then last published; first: first ended), so
-- as eligibility only grows, the winner changes only when a newly eligible judgement beats the
-- one holding (winning_intervals). Computed from the judgements once, not per month and LA: the monthly series count
-- these intervals instead of re-ranking every judgement at every month end (issue 14).
-- area := NULL gives every area at once, by_framework := true every framework's own winners (the
-- build materialises them: judgement_winners). graded_k names the graded winner a reform
-- inspection (an ILACS inspection started after the April 2026 change, which gives no overall
-- grade) supersedes.
CREATE MACRO judgement_intervals_computed(area, framework := NULL, which := 'latest',
                                          include_secondary := true,
                                          by_framework := false) AS TABLE
WITH graded AS (
    SELECT j.area AS jarea, i.la_code, i.inspection_id, i.framework AS fw, i.inspection_type,
           i.start_date, i.end_date, i.published_date, i.report_url,
           coalesce(i.end_date, i.published_date) AS ended, j.grade, j.grade_rank, j.grade_text,
           j.source_id, j.evidence, j.has_conflict, false AS is_reform
    FROM inspections i
    JOIN judgement_bases j ON j.inspection_id = i.inspection_id
    JOIN frameworks f ON f.framework = i.framework AND f.regime = 'childrens_services'
    WHERE (area IS NULL OR j.area = area)
      AND j.grade <> 'not_judged'
      AND i.published_date IS NOT NULL
      AND (framework IS NULL OR i.framework = framework)
      AND (include_secondary OR j.evidence <> 'secondary')
),
reform AS (
    SELECT 'overall_effectiveness' AS jarea, i.la_code, i.inspection_id, i.framework AS fw,
           i.inspection_type, i.start_date, i.end_date, i.published_date, i.report_url,
           coalesce(i.end_date, i.published_date) AS ended, 'no_overall_grade' AS grade,
           8 AS grade_rank, NULL AS grade_text, i.preferred_source_id AS source_id, i.evidence,
           false AS has_conflict, true AS is_reform
    FROM inspections i
    JOIN frameworks f ON f.framework = i.framework AND i.start_date >= f.no_overall_from
    WHERE (area IS NULL OR area = 'overall_effectiveness') AND which = 'latest'
      AND i.is_inspection AND i.published_date IS NOT NULL
      AND (framework IS NULL OR i.framework = framework)
      AND NOT EXISTS (SELECT 1 FROM judgements j
                      WHERE j.inspection_id = i.inspection_id
                        AND j.area = 'overall_effectiveness' AND j.grade <> 'not_judged')
),
cand AS (SELECT * FROM graded UNION ALL SELECT * FROM reform),
-- by_framework: every framework's own winners at once (variant_framework names it), as if
-- each were asked for with framework := it; otherwise 'any'.
fw_cand AS (
    SELECT c.*, CASE WHEN by_framework THEN c.fw ELSE 'any' END AS variant_framework FROM cand c
),
keyed AS (
    SELECT c.*, greatest(c.ended, c.published_date) AS eligible_from,
           (c.jarea, c.la_code, c.variant_framework) AS part,
           CASE WHEN which = 'first'
                THEN row_number() OVER (PARTITION BY c.jarea, c.la_code, c.variant_framework
                                        ORDER BY c.ended DESC, c.published_date ASC,
                                                 c.inspection_id DESC)
                WHEN which = 'latest'
                THEN row_number() OVER (PARTITION BY c.jarea, c.la_code, c.variant_framework
                                        ORDER BY c.ended, c.published_date, c.inspection_id DESC)
                ELSE error('which must be ''latest'' or ''first''') END AS k
    FROM fw_cand c
),
-- the graded winner a reform inspection supersedes is carried forward
carrying AS (SELECT *, CASE WHEN NOT is_reform THEN k END AS carry FROM keyed)
SELECT variant_framework, jarea AS area, la_code, k, carried AS graded_k, is_reform,
       valid_from, valid_to,
       inspection_id, fw AS framework, inspection_type, start_date, end_date, published_date,
       report_url, grade, grade_rank, grade_text, source_id, evidence, has_conflict
FROM winning_intervals(carrying);

-- What each LA existing on a date shows ("today" after the April 2026 change, defined here once),
-- from its candidates: `las` names rows (series_date, la_code, la_name, region_name, la_type) of
-- the LAs existing on each date, `eligible` the graded judgements that count on each date
-- (dated_judgements' columns with series_date and rn; rn = 1 is the one counted), `reform` per
-- date and LA the latest inspection that gives no overall grade because it started after the
-- change (series_date, la_code, reform_ended, and r: the inspection, reform_inspection()). ILACS inspections starting on or after
-- frameworks.no_overall_from give no overall effectiveness grade. An LA whose latest inspection
-- is such a one is not counted under its older, superseded overall grade:
--   superseded := 'not_current' (default): its grade is 'no_overall_grade' (a category of its
--     own, "no overall grade: inspected since the April 2026 change"), the row describes that
--     inspection, previous_grade keeps the superseded grade;
--   superseded := 'carry_forward': the previous overall grade is kept, is_superseded = true.
-- no_overall_since is the start of that inspection in both cases (NULL otherwise).
-- wording := 'at_the_time' (default) gives grades on the scale in force at the time (adequate
-- before 2013); wording := 'current' gives Ofsted's current wording (grades.current_wording:
-- adequate shown as requires improvement, as Ofsted's 2023 statistics print it).
-- An inspection's facts a row describing it shows (a reform inspection's, as_at_shown).
CREATE MACRO reform_inspection(i) AS
    {'inspection_id': i.inspection_id, 'framework': i.framework,
     'inspection_type': i.inspection_type, 'start_date': i.start_date, 'end_date': i.end_date,
     'published_date': i.published_date, 'report_url': i.report_url,
     'preferred_source_id': i.preferred_source_id, 'evidence': i.evidence};

CREATE MACRO as_at_shown(las, eligible, reform, superseded, wording) AS TABLE
WITH base AS (
    SELECT l.*, e.* EXCLUDE (series_date, la_code, rn), r.r AS ri,
           coalesce(r.r IS NOT NULL AND (e.ended IS NULL OR r.reform_ended > e.ended),
                    false) AS sup
    FROM query_table(las) l
    LEFT JOIN query_table(eligible) e
      ON e.series_date = l.series_date AND e.la_code = l.la_code AND e.rn = 1
    LEFT JOIN query_table(reform) r ON r.series_date = l.series_date AND r.la_code = l.la_code
    WHERE CASE WHEN superseded IN ('not_current', 'carry_forward')
                    AND wording IN ('at_the_time', 'current') THEN true
               ELSE error('superseded must be ''not_current'' or ''carry_forward'', and wording '
                          || '''at_the_time'' or ''current''') END
),
shown AS (
    SELECT b.* EXCLUDE (ri), b.sup AND superseded = 'not_current' AS replace_row,
           CASE WHEN b.sup AND superseded = 'not_current' THEN 'no_overall_grade'
                WHEN wording = 'current' THEN coalesce(g.current_wording, b.grade)
                ELSE b.grade END AS shown_grade,
           -- the reform inspection's facts (where it supersedes the grade)
           CASE WHEN b.sup THEN b.ri.inspection_id END AS reform_id,
           CASE WHEN b.sup THEN b.ri.start_date END AS reform_start,
           CASE WHEN b.sup THEN b.ri.framework END AS r_framework,
           CASE WHEN b.sup THEN b.ri.inspection_type END AS r_type,
           CASE WHEN b.sup THEN b.ri.end_date END AS r_end,
           CASE WHEN b.sup THEN b.ri.published_date END AS r_published,
           CASE WHEN b.sup THEN b.ri.report_url END AS r_url,
           CASE WHEN b.sup THEN b.ri.preferred_source_id END AS r_source,
           CASE WHEN b.sup THEN b.ri.evidence END AS r_evidence
    FROM base b
    LEFT JOIN grades g ON g.grade = b.grade
)
SELECT s.series_date, s.la_code, s.la_name, s.region_name, s.la_type,
       CASE WHEN replace_row THEN reform_id ELSE inspection_id END AS inspection_id,
       CASE WHEN replace_row THEN r_framework ELSE s.framework END AS framework,
       CASE WHEN replace_row THEN r_type ELSE s.inspection_type END AS inspection_type,
       CASE WHEN replace_row THEN reform_start ELSE start_date END AS start_date,
       CASE WHEN replace_row THEN r_end ELSE end_date END AS end_date,
       CASE WHEN replace_row THEN r_published ELSE published_date END AS published_date,
       shown_grade AS grade, sg.grade_rank,
       CASE WHEN replace_row
            THEN 'No overall effectiveness grade: inspection started '
                 || strftime(reform_start, '%d %B %Y')
                 || ', after the April 2026 change; previous overall grade: '
                 || coalesce(s.grade_text, 'none')
            ELSE s.grade_text END AS grade_text,
       CASE WHEN replace_row THEN r_source ELSE source_id END AS source_id,
       CASE WHEN replace_row THEN r_evidence ELSE s.evidence END AS evidence,
       CASE WHEN replace_row THEN false ELSE has_conflict END AS has_conflict,
       CASE WHEN replace_row THEN r_url ELSE report_url END AS report_url,
       s.sup AND superseded = 'carry_forward' AS is_superseded,
       CASE WHEN s.sup THEN reform_start END AS no_overall_since,
       CASE WHEN s.sup THEN s.grade END AS previous_grade
FROM shown s LEFT JOIN grades sg ON sg.grade = s.shown_grade;

-- The core, by definition: for each date in [from_date, to_date] (month ends) each LA existing
-- then, with its latest (or first, `which := 'first'`) judgement, every LA's judgements ranked
-- at every date, shown as as_at_shown says. published_by overrides the publication cut-off of
-- every date (used for single-date official-statistics bases).
CREATE MACRO judgements_as_at_series(area, from_date, to_date, framework := NULL,
                                     published_by := NULL, which := 'latest',
                                     include_secondary := true, superseded := 'not_current',
                                     wording := 'at_the_time') AS TABLE
WITH dates AS (SELECT month_end AS series_date FROM month_ends(from_date, to_date)),
las AS (
    SELECT d.series_date, l.la_code, l.name AS la_name, l.region_name, l.la_type
    FROM dates d JOIN local_authorities l
      ON (l.valid_from IS NULL OR l.valid_from <= d.series_date)
     AND (l.valid_to IS NULL OR l.valid_to >= d.series_date)
),
eligible AS (
    SELECT d.series_date, e.*,
           row_number() OVER (
               PARTITION BY d.series_date, e.la_code
               ORDER BY CASE WHEN which = 'first' THEN e.ended END ASC,
                        CASE WHEN which = 'first' THEN NULL ELSE e.ended END DESC,
                        e.published_date DESC, e.inspection_id) AS rn
    FROM dates d
    JOIN dated_judgements(area, framework := framework, include_secondary := include_secondary) e
      ON e.ended <= d.series_date AND e.published_date <= coalesce(published_by, d.series_date)
),
-- Each LA's latest inspection that gives no overall grade because it started after the change.
reform AS (
    SELECT d.series_date, i.la_code,
           arg_max(reform_inspection(i), coalesce(i.end_date, i.published_date)) AS r,
           max(coalesce(i.end_date, i.published_date)) AS reform_ended
    FROM dates d
    JOIN inspections i
      ON i.is_inspection
     AND coalesce(i.end_date, i.published_date) <= d.series_date
     AND i.published_date <= coalesce(published_by, d.series_date)
    JOIN frameworks f ON f.framework = i.framework AND i.start_date >= f.no_overall_from
    WHERE area = 'overall_effectiveness' AND which = 'latest'
      AND (framework IS NULL OR i.framework = framework)
      AND NOT EXISTS (SELECT 1 FROM judgements j
                      WHERE j.inspection_id = i.inspection_id
                        AND j.area = 'overall_effectiveness' AND j.grade <> 'not_judged')
    GROUP BY d.series_date, i.la_code
)
SELECT * FROM as_at_shown(las, eligible, reform, superseded, wording);

-- The intervals as shown, of one area (NULL: every area) and variant, computed from the
-- judgements. superseded: what an LA whose latest inspection gave no overall grade shows
-- ('not_current': the no-overall-grade category, its row that inspection; 'carry_forward': its
-- previous grade, is_superseded).
CREATE MACRO judgement_intervals_variant(area, framework := NULL, which := 'latest',
                                         include_secondary := true,
                                         superseded := 'not_current',
                                         by_framework := false) AS TABLE
WITH w AS (
    SELECT * FROM judgement_intervals_computed(area, framework := framework, which := which,
                                               include_secondary := include_secondary,
                                               by_framework := by_framework)
),
shown AS (
    SELECT w.variant_framework, w.area, w.la_code, w.valid_from, w.valid_to,
           w.is_reform AND superseded = 'carry_forward' AS is_superseded,
           w.is_reform, w.start_date AS reform_start, g.grade AS previous_grade,
           g.grade_text AS previous_text,
           -- what the row describes: the reform inspection, or (carried forward) the graded one
           CASE WHEN w.is_reform AND superseded = 'carry_forward' THEN g ELSE w END AS r
    FROM w
    LEFT JOIN w g ON w.is_reform AND g.variant_framework = w.variant_framework
                 AND g.area = w.area AND g.la_code = w.la_code AND g.k = w.graded_k
    WHERE CASE WHEN superseded IN ('not_current', 'carry_forward') THEN true
               ELSE error('superseded must be ''not_current'' or ''carry_forward''') END
)
SELECT s.variant_framework, s.area, s.la_code, s.valid_from, s.valid_to,
       s.r.inspection_id, s.r.framework, s.r.inspection_type, s.r.start_date,
       s.r.end_date, s.r.published_date, s.r.report_url, s.r.grade, s.r.grade_rank,
       CASE WHEN s.is_reform AND NOT s.is_superseded
            THEN 'No overall effectiveness grade: inspection started '
                 || strftime(s.reform_start, '%d %B %Y')
                 || ', after the April 2026 change; previous overall grade: '
                 || coalesce(s.previous_text, 'none')
            ELSE s.r.grade_text END AS grade_text,
       s.r.source_id, s.r.evidence, s.r.has_conflict,
       s.is_superseded,
       CASE WHEN s.is_reform THEN s.reform_start END AS no_overall_since,
       CASE WHEN s.is_reform THEN s.previous_grade END AS previous_grade
FROM shown s
-- carried forward with nothing graded before it: no grade at all
WHERE s.r.grade IS NOT NULL;

-- judgement_winners materialises the intervals as shown of the variants the pages use
-- (secondary evidence counted; any framework ('any') and each framework on its own; the latest
-- inspection with either treatment of a superseded grade, and the first) for every area, so
-- that the as-at figures and the series read a table instead of computing them (at 1000 times
-- today's data that computation is seconds). The first inspection never has a superseded
-- grade (only the latest can be a reform inspection), so it is stored once.
-- One variant per statement: computed together they need several times the memory (a build
-- of 1000 times today's data ran out of a 4 GB limit), and each is written in area order, so a
-- figure reading one area and variant still reads only its blocks.
CREATE TABLE judgement_winners AS
SELECT 'latest' AS which, 'not_current' AS superseded, *
FROM judgement_intervals_variant(NULL, which := 'latest', superseded := 'not_current')
ORDER BY area, variant_framework, la_code, valid_from;

INSERT INTO judgement_winners
SELECT 'latest', 'not_current', *
FROM judgement_intervals_variant(NULL, which := 'latest', superseded := 'not_current',
                                 by_framework := true)
ORDER BY area, variant_framework, la_code, valid_from;

INSERT INTO judgement_winners
SELECT 'latest', 'carry_forward', *
FROM judgement_intervals_variant(NULL, which := 'latest', superseded := 'carry_forward')
ORDER BY area, variant_framework, la_code, valid_from;

INSERT INTO judgement_winners
SELECT 'latest', 'carry_forward', *
FROM judgement_intervals_variant(NULL, which := 'latest', superseded := 'carry_forward',
                                 by_framework := true)
ORDER BY area, variant_framework, la_code, valid_from;

INSERT INTO judgement_winners
SELECT 'first', 'not_current', *
FROM judgement_intervals_variant(NULL, which := 'first')
ORDER BY area, variant_framework, la_code, valid_from;

INSERT INTO judgement_winners
SELECT 'first', 'not_current', *
FROM judgement_intervals_variant(NULL, which := 'first', by_framework := true)
ORDER BY area, variant_framework, la_code, valid_from;

-- The latest judgements as shown (which 'latest', superseded 'not_current': the basis of the LA
-- pages) again, ordered by LA: a figure for an LA and its neighbours reads their few blocks
-- instead of every LA's intervals of an area (judgement_winners is ordered by area for the
-- national figures, which read every LA).
-- With its source's title, so that a figure need not look it up among every source.
CREATE TABLE judgement_winners_by_la AS
SELECT jw.la_code, jw.area, jw.variant_framework, jw.valid_from, jw.valid_to, jw.inspection_id,
       jw.framework, jw.end_date, jw.published_date, jw.grade, jw.source_id,
       s.title AS source_title, jw.report_url
FROM judgement_winners jw
LEFT JOIN sources s ON s.source_id = jw.source_id
WHERE jw.which = 'latest' AND jw.superseded = 'not_current'
ORDER BY jw.la_code, jw.area, jw.variant_framework, jw.valid_from;

-- LAs existing, per region, as change events: +1 on the day an LA starts, -1 on the day after it
-- ends. The LAs existing on a date are the sum of the events up to it (la_counts_as_at), a few
-- rows per region and date of change instead of a pass over every LA.
CREATE TABLE la_count_deltas AS
WITH l AS (
    SELECT * FROM local_authorities
    WHERE valid_from IS NULL OR valid_to IS NULL OR valid_from <= valid_to
)
SELECT region_name, d, CAST(sum(delta) AS BIGINT) AS delta
FROM (
    SELECT region_name, coalesce(valid_from, DATE '0001-01-01') AS d, 1 AS delta FROM l
    UNION ALL
    SELECT region_name, CAST(valid_to + 1 AS DATE), -1 FROM l WHERE valid_to IS NOT NULL
) e
GROUP BY ALL
HAVING sum(delta) <> 0
ORDER BY region_name, d;

-- Per region, the LAs existing on as_at (las_on, counted).
CREATE MACRO la_counts_as_at(as_at) AS TABLE
SELECT c.region_name, CAST(sum(c.delta) AS BIGINT) AS n
FROM la_count_deltas c
WHERE c.d <= as_at
GROUP BY c.region_name
HAVING sum(c.delta) > 0;

-- The judgement intervals of judgement_winners while their LA exists, counted per variant, area,
-- region, grade and whether it is a superseded grade carried forward, as change events (+1 where
-- an interval starts covering a date, -1 after its last date). The grades of every LA as at any
-- date, counted (judgement_counts_as_at), are the sum of the events up to it, and a monthly
-- series (sql/05b_series.sql) its running sums: one row per region, grade and day something
-- changed, so the cost of a count no longer grows with the number of LAs (issue 14).
CREATE TABLE judgement_count_deltas AS
WITH clipped AS (
    SELECT jw.variant_framework, jw.which, jw.superseded, jw.area, l.region_name, jw.grade,
           jw.is_superseded,
           greatest(jw.valid_from, coalesce(l.valid_from, jw.valid_from)) AS f,
           least(coalesce(jw.valid_to, DATE '9999-12-31'),
                 coalesce(l.valid_to, DATE '9999-12-31')) AS t
    FROM judgement_winners jw JOIN local_authorities l ON l.la_code = jw.la_code
)
SELECT variant_framework, which, superseded, area, region_name, grade, is_superseded, d,
       CAST(sum(delta) AS BIGINT) AS delta
FROM (
    SELECT c.* EXCLUDE (f, t), c.f AS d, 1 AS delta FROM clipped c WHERE c.f <= c.t
    UNION ALL
    SELECT c.* EXCLUDE (f, t), CAST(c.t + 1 AS DATE), -1 FROM clipped c
    WHERE c.f <= c.t AND c.t < DATE '9999-12-31'
) e
GROUP BY ALL
HAVING sum(delta) <> 0
ORDER BY variant_framework, which, superseded, area, region_name, grade, is_superseded, d;

-- Per area, region and grade, the LAs existing on as_at holding that grade (secondary evidence
-- counted, grades as given at the time): judgements_as_at over every LA, counted.
CREATE MACRO judgement_counts_as_at(as_at, framework := NULL, which := 'latest',
                                    superseded := 'not_current') AS TABLE
SELECT c.area, c.region_name, c.grade, CAST(sum(c.delta) AS BIGINT) AS n
FROM judgement_count_deltas c
WHERE c.variant_framework = coalesce(framework, 'any') AND c.which = which
  AND c.superseded = CASE WHEN which = 'first' THEN 'not_current' ELSE superseded END
  AND c.d <= as_at
GROUP BY c.area, c.region_name, c.grade
HAVING sum(c.delta) > 0;

-- One area's grades as at a date per region, in the wording asked for, and whether each is a
-- superseded grade carried forward: judgements_as_at over every LA (secondary evidence counted,
-- publication cut-off the date itself), counted from the change events kept at build.
CREATE MACRO grade_counts_as_at(as_at, area, framework := NULL, which := 'latest',
                                superseded := 'not_current', wording := 'at_the_time') AS TABLE
SELECT c.region_name,
       CASE WHEN wording = 'current' THEN coalesce(g.current_wording, c.grade)
            WHEN wording = 'at_the_time' THEN c.grade
            ELSE error('wording must be ''at_the_time'' or ''current''') END AS grade,
       c.is_superseded, CAST(sum(c.delta) AS BIGINT) AS n
FROM judgement_count_deltas c
LEFT JOIN grades g ON g.grade = c.grade
WHERE c.area = area AND c.variant_framework = coalesce(framework, 'any')
  AND c.which = CASE WHEN which IN ('latest', 'first') THEN which
                     ELSE error('which must be ''latest'' or ''first''') END
  AND c.superseded = CASE WHEN superseded NOT IN ('not_current', 'carry_forward')
                          THEN error('superseded must be ''not_current'' or ''carry_forward''')
                          WHEN which = 'first' THEN 'not_current' ELSE superseded END
  AND c.d <= as_at
GROUP BY ALL
HAVING sum(c.delta) > 0;

-- The intervals of one area kept at build (judgement_winners: secondary evidence counted).
CREATE MACRO judgement_intervals_kept(area, framework := NULL, which := 'latest',
                                      superseded := 'not_current') AS TABLE
SELECT jw.* EXCLUDE (variant_framework, which, superseded, area) FROM judgement_winners jw
WHERE jw.area = area AND jw.variant_framework = coalesce(framework, 'any')
  AND jw.which = CASE WHEN which IN ('latest', 'first') THEN which
                      ELSE error('which must be ''latest'' or ''first''') END
  AND jw.superseded = CASE WHEN superseded NOT IN ('not_current', 'carry_forward')
                           THEN error('superseded must be ''not_current'' or ''carry_forward''')
                           WHEN which = 'first' THEN 'not_current' ELSE superseded END;

-- The intervals of one area: read from judgement_winners, computed when secondary evidence is
-- left out.
CREATE MACRO judgement_intervals(area, framework := NULL, which := 'latest',
                                 include_secondary := true, superseded := 'not_current') AS TABLE
SELECT * FROM judgement_intervals_kept(area, framework := framework, which := which,
                                       superseded := superseded)
WHERE include_secondary
UNION ALL
SELECT v.* EXCLUDE (variant_framework, area)
FROM judgement_intervals_variant(area, framework := framework, which := which,
                                 include_secondary := include_secondary,
                                 superseded := superseded) v
WHERE NOT include_secondary;

-- One date with a later publication cut-off (published_by: Ofsted's statistics basis): what
-- judgements_as_at_series gives at the date, from few candidates. A judgement counts if its
-- inspection ended by as_at and its report was published by published_by. Those published by
-- as_at already count on the date itself, and among them only the one each LA holds then (its
-- interval in judgement_winners covering the date) can win; so an LA's winner is the best of
-- that one and the judgements published after as_at, by published_by, of inspections that
-- ended by as_at: a few per LA, not every judgement ranked (issue 14). Likewise the latest
-- reform inspection: the one holding on the date, or one published since. Shown by the same
-- as_at_shown. With secondary evidence left out (no intervals kept) or a cut-off before the
-- date, the candidates are every judgement that counts: judgements_as_at_series' ranking.
CREATE MACRO judgements_as_at_cut_off(as_at, area, published_by, framework := NULL,
                                      which := 'latest', include_secondary := true,
                                      superseded := 'not_current',
                                      wording := 'at_the_time') AS TABLE
WITH las AS (
    SELECT CAST(as_at AS DATE) AS series_date, l.la_code, l.name AS la_name, l.region_name,
           l.la_type
    FROM las_on(as_at) l
),
-- judgement_winners rows holding on as_at: the graded winner (carried forward past a reform
-- inspection, which := 'latest'), and the reform inspection where one holds
held AS (
    SELECT jw.* FROM judgement_winners jw
    WHERE include_secondary AND published_by >= as_at
      AND jw.area = area AND jw.variant_framework = coalesce(framework, 'any')
      AND jw.which = CASE WHEN which IN ('latest', 'first') THEN which
                          ELSE error('which must be ''latest'' or ''first''') END
      AND (jw.superseded = CASE WHEN which = 'first' THEN 'not_current' ELSE 'carry_forward' END
           OR (jw.superseded = 'not_current' AND jw.no_overall_since IS NOT NULL))
      AND jw.valid_from <= as_at AND (jw.valid_to IS NULL OR jw.valid_to >= as_at)
),
candidates AS (
    SELECT h.la_code, h.inspection_id, h.framework, h.inspection_type, h.start_date,
           h.end_date, h.published_date, h.report_url,
           coalesce(h.end_date, h.published_date) AS ended, h.grade, h.grade_rank,
           h.grade_text, h.source_id, h.evidence, h.has_conflict
    FROM held h WHERE h.superseded = 'carry_forward' OR which = 'first'
    UNION ALL
    SELECT e.* FROM dated_judgements(area, framework := framework,
                                     include_secondary := include_secondary) e
    WHERE e.ended <= as_at AND e.published_date <= published_by
      AND (e.published_date > as_at OR NOT (include_secondary AND published_by >= as_at))
),
eligible AS (
    SELECT CAST(as_at AS DATE) AS series_date, c.*,
           row_number() OVER (
               PARTITION BY c.la_code
               ORDER BY CASE WHEN which = 'first' THEN c.ended END ASC,
                        CASE WHEN which = 'first' THEN NULL ELSE c.ended END DESC,
                        c.published_date DESC, c.inspection_id) AS rn
    FROM candidates c
),
reform AS (
    SELECT CAST(as_at AS DATE) AS series_date, i.la_code,
           arg_max(reform_inspection(i), coalesce(i.end_date, i.published_date)) AS r,
           max(coalesce(i.end_date, i.published_date)) AS reform_ended
    FROM inspections i
    JOIN frameworks f ON f.framework = i.framework AND i.start_date >= f.no_overall_from
    WHERE area = 'overall_effectiveness' AND which = 'latest'
      AND i.is_inspection
      AND coalesce(i.end_date, i.published_date) <= as_at AND i.published_date <= published_by
      AND (i.published_date > as_at
           OR NOT (include_secondary AND published_by >= as_at)
           OR i.inspection_id IN (SELECT h.inspection_id FROM held h
                                  WHERE h.superseded = 'not_current'))
      AND (framework IS NULL OR i.framework = framework)
      AND NOT EXISTS (SELECT 1 FROM judgements j
                      WHERE j.inspection_id = i.inspection_id
                        AND j.area = 'overall_effectiveness' AND j.grade <> 'not_judged')
    GROUP BY i.la_code
)
SELECT * EXCLUDE (series_date) FROM as_at_shown(las, eligible, reform, superseded, wording);

-- Each LA existing on as_at with its latest (or first) judgement in `area`: the judgement
-- interval covering the date, which is what judgements_as_at_series ranks at one date (its
-- definition; tests/test_scale_equivalence.py compares the two over every named query). With a
-- later publication cut-off (published_by: Ofsted's statistics basis) a judgement's validity no
-- longer starts at one date: judgements_as_at_cut_off; with secondary evidence left out (no
-- intervals kept for it) that ranks every judgement at the date too (its definition).
CREATE MACRO judgements_as_at(as_at, area, framework := NULL, published_by := NULL,
                              which := 'latest', include_secondary := true,
                              superseded := 'not_current', wording := 'at_the_time') AS TABLE
SELECT *
FROM judgements_as_at_cut_off(as_at, area, coalesce(published_by, as_at), framework := framework,
                              which := which, include_secondary := include_secondary,
                              superseded := superseded, wording := wording)
WHERE published_by IS NOT NULL OR NOT include_secondary
UNION ALL
SELECT l.la_code, l.name AS la_name, l.region_name, l.la_type, iv.inspection_id, iv.framework,
       iv.inspection_type, iv.start_date, iv.end_date, iv.published_date, sg.grade,
       sg.grade_rank, iv.grade_text, iv.source_id, iv.evidence, iv.has_conflict, iv.report_url,
       coalesce(iv.is_superseded, false) AS is_superseded, iv.no_overall_since, iv.previous_grade
FROM las_on(as_at) l
LEFT JOIN judgement_intervals_kept(area, framework := framework, which := which,
                                   superseded := superseded) iv
  ON iv.la_code = l.la_code AND iv.valid_from <= as_at
 AND (iv.valid_to IS NULL OR iv.valid_to >= as_at)
LEFT JOIN grades g ON g.grade = iv.grade
LEFT JOIN grades sg
  ON sg.grade = CASE WHEN wording = 'current' THEN coalesce(g.current_wording, iv.grade)
                     WHEN wording = 'at_the_time' THEN iv.grade
                     ELSE error('wording must be ''at_the_time'' or ''current''') END
WHERE published_by IS NULL AND include_secondary;

-- One row per LA existing on as_at with its latest judgement in `area` (NULL grade: none yet).
-- judgements_as_at (above) reads the judgement intervals; the definition is
-- judgements_as_at_series at the one date (tests/test_scale_equivalence.py compares them).
CREATE MACRO latest_judgements(as_at, area, framework := NULL, published_by := NULL,
                               include_secondary := true, superseded := 'not_current',
                               wording := 'at_the_time') AS TABLE
SELECT * FROM judgements_as_at(as_at, area, framework := framework, published_by := published_by,
                               which := 'latest', include_secondary := include_secondary,
                               superseded := superseded, wording := wording);

-- The same with each LA's first inspection under the framework.
CREATE MACRO first_judgements(as_at, area, framework := NULL, published_by := NULL,
                              include_secondary := true, wording := 'at_the_time') AS TABLE
SELECT * FROM judgements_as_at(as_at, area, framework := framework, published_by := published_by,
                               which := 'first', include_secondary := include_secondary,
                               wording := wording);

-- Grade, count and share of LAs with a judgement; n_las counts every LA existing on as_at.
-- Every grade of the four-point scale is listed; adequate (pre-2013 scale) and the
-- no-overall-grade category only where they occur. share is of LAs with a current grade
-- (n_judged; the no-overall-grade category is outside it, its share NULL); share_of_las is of
-- every LA existing on the date. n_superseded: how many of the LAs counted carry a superseded
-- grade forward (superseded := 'carry_forward'), on every row.
CREATE MACRO grade_distribution(as_at, area, framework := NULL, published_by := NULL,
                                which := 'latest', include_secondary := true,
                                superseded := 'not_current', wording := 'at_the_time') AS TABLE
-- the LAs existing on as_at per grade (NULL: none yet) and whether it is carried forward:
-- counted from the change events kept at build (grade_counts_as_at, la_counts_as_at) for the
-- date's own cut-off with secondary evidence counted, from judgements_as_at otherwise
WITH kept AS (
    SELECT grade, is_superseded, n
    FROM grade_counts_as_at(as_at, area, framework := framework, which := which,
                            superseded := superseded, wording := wording)
    WHERE published_by IS NULL AND include_secondary
),
counted AS (
    SELECT grade, is_superseded, count(*) AS n
    FROM judgements_as_at(as_at, area, framework := framework, published_by := published_by,
                          which := which, include_secondary := include_secondary,
                          superseded := superseded, wording := wording)
    WHERE NOT (published_by IS NULL AND include_secondary)
    GROUP BY grade, is_superseded
    UNION ALL
    SELECT grade, is_superseded, n FROM kept
    UNION ALL
    SELECT NULL, false, (SELECT sum(n) FROM la_counts_as_at(as_at))
                        - (SELECT coalesce(sum(n), 0) FROM kept)
    WHERE published_by IS NULL AND include_secondary
),
totals AS (
    SELECT CAST(coalesce(sum(n) FILTER (WHERE grade IS NOT NULL
                                        AND grade <> 'no_overall_grade'), 0) AS BIGINT)
               AS n_judged,
           CAST(coalesce(sum(n), 0) AS BIGINT) AS n_las,
           CAST(coalesce(sum(n) FILTER (WHERE is_superseded), 0) AS BIGINT) AS n_superseded
    FROM counted
)
SELECT g.grade, g.label, g.grade_rank,
       CAST(coalesce(sum(c.n), 0) AS BIGINT) AS n,
       CASE WHEN g.grade <> 'no_overall_grade'
            THEN CAST(coalesce(sum(c.n), 0) AS BIGINT) / nullif(any_value(t.n_judged), 0)
       END AS share,
       any_value(t.n_judged) AS n_judged,
       any_value(t.n_las) AS n_las,
       CAST(coalesce(sum(c.n), 0) AS BIGINT) / nullif(any_value(t.n_las), 0) AS share_of_las,
       g.scale, any_value(t.n_superseded) AS n_superseded
FROM grades g CROSS JOIN totals t LEFT JOIN counted c ON c.grade = g.grade
WHERE g.grade <> 'not_judged' AND g.scale <> 'area_send'
GROUP BY g.grade, g.label, g.grade_rank, g.scale
HAVING g.scale = 'four_point' OR coalesce(sum(c.n), 0) > 0
ORDER BY g.grade_rank, g.grade;

-- Inspections (not visits) published within a window, with their grade in `area`: seed 004's
-- "reports published November 2013 to October 2014". An inspection whose publication date no
-- source gives counts when a source bounds it inside the window (publication_basis = 'bound').
CREATE MACRO published_between(area, from_date, to_date, framework := NULL,
                               include_secondary := true) AS TABLE
SELECT i.la_code, l.name AS la_name, i.inspection_id, i.framework, i.inspection_type,
       i.start_date, i.end_date, i.published_date,
       CASE WHEN i.published_date IS NULL THEN 'bound' ELSE 'date' END AS publication_basis,
       j.grade, j.grade_text, j.source_id, j.evidence, j.has_conflict
FROM inspections i
JOIN local_authorities l USING (la_code)
LEFT JOIN judgement_bases j ON j.inspection_id = i.inspection_id AND j.area = area
WHERE i.is_inspection
  AND (i.published_date BETWEEN from_date AND to_date
       OR (i.published_date IS NULL AND i.published_by_bound BETWEEN from_date AND to_date))
  AND (framework IS NULL OR i.framework = framework)
  -- any framework: those inspecting the LA's children's services (not area SEND)
  AND (framework IS NOT NULL
       OR i.framework IN (SELECT f.framework FROM frameworks f WHERE f.regime = 'childrens_services'))
  AND (include_secondary OR coalesce(j.evidence, '') <> 'secondary');

-- Cycle completion: per month, LAs existing then with at least one published inspection under
-- the framework (since cycle_start, if given). Counted from change events (an LA starts and
-- stops existing; it counts as inspected from its first report on) with a running sum read at
-- each month end, not by pairing every month with every LA (issue 14; the definition is in
-- tests/sql/cycle_by_definition.sql).
CREATE MACRO cycle_progress(framework, from_date, to_date, cycle_start := NULL) AS TABLE
WITH firsts AS (
    SELECT la_code, min(coalesce(published_date, published_by_bound)) AS first_published
    FROM inspections
    WHERE is_inspection AND inspections.framework = framework
      AND coalesce(published_date, published_by_bound) IS NOT NULL
      AND (cycle_start IS NULL
           OR coalesce(start_date, end_date, published_date, published_by_bound) >= cycle_start)
    GROUP BY la_code
),
spans AS (
    SELECT coalesce(l.valid_from, DATE '0001-01-01') AS f,
           coalesce(l.valid_to, DATE '9999-12-30') AS t,
           -- (greatest ignores a NULL: an LA never inspected has none)
           CASE WHEN fi.first_published IS NOT NULL
                THEN greatest(coalesce(l.valid_from, fi.first_published), fi.first_published)
           END AS fi
    FROM local_authorities l LEFT JOIN firsts fi ON fi.la_code = l.la_code
),
-- +1 when an LA starts existing (or counting as inspected), -1 the day after it ends
events AS (
    SELECT f AS d, 1 AS las, 0 AS inspected FROM spans WHERE f <= t
    UNION ALL SELECT CAST(t + 1 AS DATE), -1, 0 FROM spans WHERE f <= t
    UNION ALL SELECT fi, 0, 1 FROM spans WHERE fi <= t
    UNION ALL SELECT CAST(t + 1 AS DATE), 0, -1 FROM spans WHERE fi <= t
),
running AS (
    SELECT d, CAST(sum(sum(las)) OVER (ORDER BY d) AS BIGINT) AS n_las,
           CAST(sum(sum(inspected)) OVER (ORDER BY d) AS BIGINT) AS n_inspected
    FROM events GROUP BY d
)
SELECT p.month_end AS as_at, r.n_inspected, r.n_las, r.n_inspected / r.n_las AS share
FROM month_ends(from_date, to_date) p
ASOF JOIN running r ON r.d <= p.month_end
WHERE r.n_las > 0
ORDER BY p.month_end;

-- Projection of the completion date from the rate of first inspections over the trailing
-- window, with a Poisson (normal approximation) band on the rate. One row per as_at date, so a
-- series of as_at dates is a backtest.
CREATE MACRO cycle_projection(framework, from_date, to_date, cycle_start := NULL,
                              window_months := 12) AS TABLE
WITH p AS (SELECT * FROM cycle_progress(framework, coalesce(cycle_start, DATE '2009-01-01'),
                                        to_date, cycle_start := cycle_start)),
w AS (
    SELECT cur.as_at, cur.n_inspected, cur.n_las, cur.share,
           -- A reorganisation can lower the count inside the window; the rate is never negative.
           greatest(cur.n_inspected - coalesce(prev.n_inspected, 0), 0) AS k,
           least(window_months,
                 datediff('month', coalesce(cycle_start, (SELECT min(as_at) FROM p WHERE n_inspected > 0)),
                          cur.as_at) + 1) AS months
    FROM p cur
    LEFT JOIN p prev ON prev.as_at = CAST(last_day(cur.as_at - to_months(window_months)) AS DATE)
    WHERE cur.as_at >= from_date
),
r AS (
    SELECT *, k / nullif(months, 0) AS rate,
           greatest(k - 1.96 * sqrt(k), 0.5) / nullif(months, 0) AS rate_low,
           (k + 1.96 * sqrt(k)) / nullif(months, 0) AS rate_high,
           n_las - n_inspected AS remaining
    FROM w
)
SELECT as_at, n_inspected, n_las, share, k AS inspected_in_window, months AS window_months,
       rate AS rate_per_month, remaining,
       CASE WHEN remaining = 0 THEN as_at
            WHEN rate > 0 THEN CAST(as_at + to_days(CAST(round(remaining / rate * 30.44) AS INTEGER)) AS DATE) END
           AS projected_completion,
       CASE WHEN remaining = 0 THEN as_at
            WHEN rate_high > 0 THEN CAST(as_at + to_days(CAST(round(remaining / rate_high * 30.44) AS INTEGER)) AS DATE) END
           AS completion_earliest,
       CASE WHEN remaining = 0 THEN as_at
            WHEN rate_low > 0 THEN CAST(as_at + to_days(CAST(round(remaining / rate_low * 30.44) AS INTEGER)) AS DATE) END
           AS completion_latest
FROM r ORDER BY as_at;

-- The neighbour-set vintage in force on a date (neighbour_vintages): the latest dated vintage
-- that came into force on or before it; before the first one, the first (before_first_vintage
-- says so). also_known_as names the lookup's sets that hold the same neighbours.
CREATE MACRO neighbour_vintage_on(as_at) AS TABLE
WITH dated AS (SELECT * FROM neighbour_vintages WHERE in_force_from IS NOT NULL),
pick AS (
    SELECT coalesce(
        (SELECT vintage FROM dated WHERE in_force_from <= as_at ORDER BY in_force_from DESC LIMIT 1),
        (SELECT vintage FROM dated ORDER BY in_force_from LIMIT 1)) AS vintage
)
SELECT v.vintage, v.label, v.in_force_from, v.dating, v.in_force_from > as_at AS before_first_vintage,
       (SELECT string_agg(a.vintage, ', ' ORDER BY a.vintage) FROM neighbour_vintages a
        WHERE a.same_as = v.vintage) AS also_known_as
FROM pick JOIN neighbour_vintages v USING (vintage);

-- An LA and its statistical neighbours (a vintage: 'current' or 'previous' from the lookup,
-- '2021' or '2025' from DfE's files, or 'in_force': the one in force on as_at) with their latest
-- judgement in `area` as at a date. rank 0 is the LA itself; closeness is the model's band.
-- The definition, a join with latest_judgements of every LA, is in
-- tests/sql/neighbours_by_definition.sql.
CREATE MACRO neighbour_judgements(la_code, as_at, area, vintage := 'current',
                                  framework := NULL, superseded := 'not_current',
                                  wording := 'at_the_time') AS TABLE
WITH chosen AS (
    -- (the parameter `vintage` would shadow a column of that name: the subquery is aliased)
    SELECT CASE WHEN vintage = 'in_force' THEN (SELECT nv.vintage FROM neighbour_vintage_on(as_at) nv)
                ELSE vintage END AS v
),
grp AS (
    SELECT la_code AS member, 0 AS rank, NULL::VARCHAR AS closeness
    UNION ALL
    SELECT s.neighbour_la_code, s.rank, s.closeness FROM statistical_neighbours s
    WHERE s.la_code = la_code AND s.vintage = (SELECT v FROM chosen)
),
-- latest_judgements (judgements_as_at) of the group's LAs only: their intervals covering the
-- date, not every LA's (issue 14)
iv AS (
    SELECT w.* FROM judgement_intervals(area, framework := framework, superseded := superseded) w
    WHERE w.la_code IN (SELECT g.member FROM grp g)
      AND w.valid_from <= as_at AND (w.valid_to IS NULL OR w.valid_to >= as_at)
),
lj AS (
    SELECT l.la_code, l.name AS la_name, l.region_name, l.la_type, iv.inspection_id,
           iv.framework, iv.inspection_type, iv.start_date, iv.end_date, iv.published_date,
           sg.grade, sg.grade_rank, iv.grade_text, iv.source_id, iv.evidence, iv.has_conflict,
           iv.report_url, coalesce(iv.is_superseded, false) AS is_superseded,
           iv.no_overall_since, iv.previous_grade
    FROM las_on(as_at) l
    LEFT JOIN iv ON iv.la_code = l.la_code
    LEFT JOIN grades g ON g.grade = iv.grade
    LEFT JOIN grades sg
      ON sg.grade = CASE WHEN wording = 'current' THEN coalesce(g.current_wording, iv.grade)
                         WHEN wording = 'at_the_time' THEN iv.grade
                         ELSE error('wording must be ''at_the_time'' or ''current''') END
    WHERE l.la_code IN (SELECT g.member FROM grp g)
)
SELECT grp.rank, grp.member = la_code AS is_focus, lj.*, grp.closeness,
       (SELECT v FROM chosen) AS vintage_used
FROM grp JOIN lj ON lj.la_code = grp.member
ORDER BY grp.rank;

-- Each LA's last ILACS inspection (not a visit) as validity intervals: the one ilacs_next_due
-- names on any date from valid_from (its report's publication) to valid_to (NULL: still the
-- last), with its type and overall grade. A later report of an earlier inspection does not
-- replace it (the latest by end date wins, as arg_max does): winning_intervals over the LA's
-- inspections. Computed once at build instead of grouping every ILACS inspection at every view
-- (issue 14).
CREATE TABLE ilacs_last_intervals AS
WITH insp AS (
    SELECT i.la_code AS part, i.la_code, i.inspection_id, i.inspection_type,
           i.published_date AS eligible_from,
           coalesce(i.end_date, i.published_date) AS last_inspected,
           row_number() OVER (PARTITION BY i.la_code
                              ORDER BY coalesce(i.end_date, i.published_date), i.inspection_id)
               AS k,
           NULL AS carry
    FROM inspections i
    WHERE i.framework = 'ILACS' AND i.is_inspection AND i.published_date IS NOT NULL
)
SELECT w.la_code, w.valid_from, w.valid_to, w.inspection_id, w.inspection_type,
       w.last_inspected, j.grade AS last_overall
FROM winning_intervals(insp) w
LEFT JOIN judgements j ON j.inspection_id = w.inspection_id AND j.area = 'overall_effectiveness'
ORDER BY w.la_code, w.valid_from;

-- Each LA's last inspection (kind 'inspection', under any framework inspecting its children's
-- services) and last visit (kind 'visit': monitoring and focused visits, not LSCB reviews) as
-- validity intervals from publication: the one failing/failing_las names on any date from
-- valid_from to valid_to (NULL: still the last), the latest by end date of those published by
-- then (as max and arg_max over them give it): winning_intervals over the LA's inspections.
-- Computed once at build instead of grouping every inspection at every view (issue 14).
CREATE TABLE last_inspection_intervals AS
WITH insp AS (
    SELECT (i.la_code, i.is_inspection) AS part, i.la_code,
           CASE WHEN i.is_inspection THEN 'inspection' ELSE 'visit' END AS kind,
           i.inspection_id, i.framework, i.inspection_type, i.published_date AS eligible_from,
           coalesce(i.end_date, i.published_date) AS ended,
           row_number() OVER (PARTITION BY i.la_code, i.is_inspection
                              ORDER BY coalesce(i.end_date, i.published_date), i.inspection_id)
               AS k,
           NULL AS carry
    FROM inspections i
    WHERE i.published_date IS NOT NULL
      AND (i.is_inspection OR i.inspection_type <> 'lscb_review')
      AND i.framework IN (SELECT f.framework FROM frameworks f
                          WHERE f.regime = 'childrens_services')
)
SELECT la_code, kind, valid_from, valid_to, inspection_id, framework, inspection_type, ended
FROM winning_intervals(insp)
ORDER BY la_code, kind, valid_from;

-- The LA's next inspection due under ILACS: roughly three years after the last standard or
-- short inspection (a framework rule of thumb; Ofsted also brings inspections forward).
-- Read from the interval of ilacs_last_intervals covering the date.
CREATE MACRO ilacs_next_due(as_at, interval_months := 36) AS TABLE
SELECT l.la_code, l.name AS la_name, l.region_name, iv.inspection_id, iv.inspection_type,
       iv.last_inspected, iv.last_overall,
       CAST(iv.last_inspected + to_months(interval_months) AS DATE) AS next_due,
       CAST(iv.last_inspected + to_months(interval_months) AS DATE) < as_at AS overdue,
       datediff('day', iv.last_inspected, as_at) AS days_since_last
FROM las_on(as_at) l
LEFT JOIN ilacs_last_intervals iv
  ON iv.la_code = l.la_code AND iv.valid_from <= as_at
 AND (iv.valid_to IS NULL OR iv.valid_to >= as_at)
ORDER BY next_due NULLS FIRST, l.name;

-- ---------------------------------------------------------------- the local area picture
-- Area SEND (the joint Ofsted/CQC inspection of the local area partnership, 2023 framework):
-- outcomes on their own three-point scale (grades.scale = 'area_send'), never four-point ones.

-- One row per LA existing on as_at with its latest area SEND inspection under the 2023
-- framework that ended by as_at and was published by published_by (default as_at), and that
-- inspection's outcome, ranked afresh among the inspections: the definition, and what
-- area_send_outcomes (below) gives for a later publication cut-off.
CREATE MACRO area_send_outcomes_ranked(as_at, published_by := NULL) AS TABLE
WITH insp AS (
    SELECT i.*,
           row_number() OVER (PARTITION BY i.la_code
                              ORDER BY coalesce(i.end_date, i.published_date) DESC,
                                       i.published_date DESC, i.inspection_id) AS rn
    FROM inspections i
    WHERE i.framework = 'AREA_SEND' AND i.is_inspection
      AND i.published_date <= coalesce(published_by, as_at)
      AND coalesce(i.end_date, i.published_date) <= as_at
)
SELECT l.la_code, l.name AS la_name, l.region_name, l.la_type,
       insp.inspection_id, insp.start_date, insp.end_date, insp.published_date,
       j.grade AS outcome, g.label AS outcome_label, g.grade_rank AS outcome_rank,
       j.grade_text AS outcome_text, j.source_id, s.title AS source_title,
       s.kind AS source_kind, j.evidence, j.has_conflict, insp.n_sources, insp.source_kinds,
       insp.report_url
FROM las_on(as_at) l
LEFT JOIN insp ON insp.la_code = l.la_code AND insp.rn = 1
LEFT JOIN judgements j ON j.inspection_id = insp.inspection_id AND j.area = 'area_send_outcome'
LEFT JOIN grades g ON g.grade = j.grade AND g.scale = 'area_send'
LEFT JOIN sources s ON s.source_id = j.source_id
ORDER BY l.name;

-- Each LA's latest area SEND inspection (2023 framework) as validity intervals, with its outcome
-- and source: the row area_send_outcomes_ranked gives for the LA on any date from valid_from to
-- valid_to (NULL: still holds) with published_by left at the date. An inspection becomes
-- eligible once it has ended and its report is published; the latest eligible one (last ended,
-- then last published, then the lowest inspection_id) wins: winning_intervals over the LA's
-- inspections, as judgement_intervals_computed over its judgements. Computed once at build: ranking every LA's inspections at every view is seconds at 1000 times today's
-- data (issue 14).
CREATE TABLE area_send_intervals AS
WITH insp AS (
    SELECT i.la_code AS part, i.la_code, i.inspection_id,
           greatest(coalesce(i.end_date, i.published_date), i.published_date) AS eligible_from,
           row_number() OVER (PARTITION BY i.la_code
                              ORDER BY coalesce(i.end_date, i.published_date), i.published_date,
                                       i.inspection_id DESC) AS k,
           NULL AS carry
    FROM inspections i
    WHERE i.framework = 'AREA_SEND' AND i.is_inspection AND i.published_date IS NOT NULL
)
SELECT w.la_code, w.valid_from, w.valid_to,
       i.inspection_id, i.start_date, i.end_date, i.published_date,
       j.grade AS outcome, g.label AS outcome_label, g.grade_rank AS outcome_rank,
       j.grade_text AS outcome_text, j.source_id, s.title AS source_title,
       s.kind AS source_kind, j.evidence, j.has_conflict, i.n_sources, i.source_kinds,
       i.report_url
FROM winning_intervals(insp) w
JOIN inspections i ON i.inspection_id = w.inspection_id
LEFT JOIN judgements j ON j.inspection_id = w.inspection_id AND j.area = 'area_send_outcome'
LEFT JOIN grades g ON g.grade = j.grade AND g.scale = 'area_send'
LEFT JOIN sources s ON s.source_id = j.source_id
ORDER BY w.la_code, w.valid_from;

-- One row per LA existing on as_at with its latest area SEND inspection under the 2023
-- framework that ended by as_at and was published by published_by (default as_at), and that
-- inspection's outcome. inspection_id NULL: not inspected under the framework by then; outcome
-- NULL with an inspection: no readable outcome (quarantined, see `quarantine`). Read from the
-- intervals covering the date; with a later publication cut-off an inspection's eligibility no
-- longer starts at one date, so that basis is ranked afresh (area_send_outcomes_ranked).
CREATE MACRO area_send_outcomes(as_at, published_by := NULL) AS TABLE
SELECT * FROM area_send_outcomes_ranked(as_at, published_by := published_by)
WHERE published_by IS NOT NULL
UNION ALL
SELECT l.la_code, l.name AS la_name, l.region_name, l.la_type,
       a.inspection_id, a.start_date, a.end_date, a.published_date, a.outcome, a.outcome_label,
       a.outcome_rank, a.outcome_text, a.source_id, a.source_title, a.source_kind, a.evidence,
       a.has_conflict, a.n_sources, a.source_kinds, a.report_url
FROM las_on(as_at) l
LEFT JOIN area_send_intervals a
  ON a.la_code = l.la_code AND a.valid_from <= as_at
 AND (a.valid_to IS NULL OR a.valid_to >= as_at)
WHERE published_by IS NULL
ORDER BY la_name;

-- The area SEND intervals of LAs while they exist, counted per region and outcome (NULL: an
-- inspection with no readable outcome) as change events, as judgement_count_deltas.
CREATE TABLE area_send_count_deltas AS
WITH clipped AS (
    SELECT l.region_name, a.outcome,
           greatest(a.valid_from, coalesce(l.valid_from, a.valid_from)) AS f,
           least(coalesce(a.valid_to, DATE '9999-12-31'),
                 coalesce(l.valid_to, DATE '9999-12-31')) AS t
    FROM area_send_intervals a JOIN local_authorities l ON l.la_code = a.la_code
)
SELECT region_name, outcome, d, CAST(sum(delta) AS BIGINT) AS delta
FROM (
    SELECT region_name, outcome, f AS d, 1 AS delta FROM clipped WHERE f <= t
    UNION ALL
    SELECT region_name, outcome, CAST(t + 1 AS DATE), -1 FROM clipped
    WHERE f <= t AND t < DATE '9999-12-31'
) e
GROUP BY ALL
HAVING sum(delta) <> 0
ORDER BY region_name, outcome, d;

-- Per region and outcome (NULL: no readable outcome), the LAs existing on as_at whose latest
-- area SEND inspection by then has it: area_send_outcomes (published_by at the date), counted.
CREATE MACRO area_send_counts_as_at(as_at) AS TABLE
SELECT c.region_name, c.outcome, CAST(sum(c.delta) AS BIGINT) AS n
FROM area_send_count_deltas c
WHERE c.d <= as_at
GROUP BY c.region_name, c.outcome
HAVING sum(c.delta) > 0;

-- Area SEND outcomes as at a date, for England and each region, counted from
-- area_send_outcomes: the definition, and what area_send_distribution gives for a later
-- publication cut-off.
CREATE MACRO area_send_distribution_counted(as_at, published_by := NULL) AS TABLE
WITH o AS (SELECT * FROM area_send_outcomes(as_at, published_by := published_by)),
geo AS (
    SELECT 'England' AS geography, 0 AS geo_order, o.* FROM o
    UNION ALL
    SELECT o.region_name, 1, o.* FROM o
),
totals AS (
    SELECT geo.geography, geo.geo_order, count(*) AS n_las,
           count(geo.inspection_id) AS n_inspected, count(geo.outcome) AS n_with_outcome
    FROM geo GROUP BY geo.geography, geo.geo_order
)
SELECT t.geography, g.grade AS outcome, g.label AS outcome_label, g.grade_rank AS outcome_rank,
       count(geo.la_code) AS n,
       count(geo.la_code) / nullif(t.n_with_outcome, 0) AS share,
       t.n_with_outcome, t.n_inspected, t.n_las,
       t.n_inspected / t.n_las AS share_inspected
FROM totals t
CROSS JOIN (SELECT * FROM grades WHERE grades.scale = 'area_send') g
LEFT JOIN geo ON geo.geography = t.geography AND geo.outcome = g.grade
GROUP BY t.geography, t.geo_order, g.grade, g.label, g.grade_rank, t.n_with_outcome,
         t.n_inspected, t.n_las
ORDER BY t.geo_order, t.geography, g.grade_rank;

-- Area SEND outcomes as at a date, for England and each region: per outcome the number of LAs
-- and their share of the LAs with a readable outcome; and the share of LAs (existing on as_at)
-- inspected under the 2023 framework so far. Summed from the change events of the LAs
-- (la_counts_as_at) and of their area SEND intervals (area_send_counts_as_at) rather than over
-- every LA; a later publication cut-off is counted from the outcomes ranked afresh.
CREATE MACRO area_send_distribution(as_at, published_by := NULL) AS TABLE
WITH lc AS (SELECT * FROM la_counts_as_at(as_at) WHERE published_by IS NULL),
ac AS (SELECT * FROM area_send_counts_as_at(as_at) WHERE published_by IS NULL),
geo_las AS (
    SELECT 'England' AS geography, 0 AS geo_order, CAST(sum(lc.n) AS BIGINT) AS n_las
    FROM lc HAVING count(*) > 0
    UNION ALL
    SELECT lc.region_name, 1, lc.n FROM lc
),
geo_outcomes AS (
    SELECT 'England' AS geography, ac.outcome, CAST(sum(ac.n) AS BIGINT) AS n
    FROM ac GROUP BY ac.outcome
    UNION ALL
    SELECT ac.region_name, ac.outcome, ac.n FROM ac
),
totals AS (
    SELECT gl.geography, gl.geo_order, gl.n_las,
           CAST(coalesce(sum(go.n), 0) AS BIGINT) AS n_inspected,
           CAST(coalesce(sum(go.n) FILTER (WHERE go.outcome IS NOT NULL), 0) AS BIGINT)
               AS n_with_outcome
    FROM geo_las gl
    LEFT JOIN geo_outcomes go ON go.geography IS NOT DISTINCT FROM gl.geography
    GROUP BY gl.geography, gl.geo_order, gl.n_las
)
SELECT * FROM area_send_distribution_counted(as_at, published_by := published_by)
WHERE published_by IS NOT NULL
UNION ALL
SELECT t.geography, g.grade AS outcome, g.label AS outcome_label, g.grade_rank AS outcome_rank,
       coalesce(go.n, 0) AS n,
       coalesce(go.n, 0) / nullif(t.n_with_outcome, 0) AS share,
       t.n_with_outcome, t.n_inspected, t.n_las,
       t.n_inspected / t.n_las AS share_inspected
FROM totals t
CROSS JOIN (SELECT * FROM grades WHERE grades.scale = 'area_send') g
-- a region named NULL counts in its totals but (as in the definition) in no outcome
LEFT JOIN geo_outcomes go ON go.geography = t.geography AND go.outcome = g.grade
-- England first, then the regions by name
ORDER BY geography IS DISTINCT FROM 'England', geography, outcome_rank;

-- Children's social care providers (Ofsted's provider-level statistics). A figure "as at" a
-- date uses the latest release as at that date or before (its providers as at 31 March, their
-- latest full inspection). Seed 003's bands (performance_bands) grade the share of providers
-- judged good or better: 80%+ dark green, 65-79% light green, 50-64% amber, under 50% red.

-- The band of a share good or better (NULL share: no band).
CREATE MACRO performance_band(share) AS
    (SELECT b.band FROM performance_bands b WHERE share >= b.min_share
     ORDER BY b.min_share DESC LIMIT 1);

-- A provider type or group a figure may be asked for: a provider_types code,
-- 'all_childrens_homes' or 'all' (anything else is an error, not an empty answer).
CREATE MACRO provider_group_known(provider_group) AS
    CASE WHEN provider_group IS NULL OR provider_group IN ('all', 'all_childrens_homes')
              OR provider_group IN (SELECT t.provider_type FROM provider_types t) THEN true
         ELSE error('unknown provider type ' || provider_group || ': a provider_types code, '
                    || '''all_childrens_homes'' or ''all''') END;

-- Per LA and provider group (each type, 'all_childrens_homes', 'all') in every provider release:
-- providers with an overall grade, those good or better, and their places (agencies have none),
-- with the band of the share and where the LA is (its region; whether it exists on the
-- release's date). Materialised: a release's facts are fixed, and counting them at every view
-- grouped every provider of the release (seconds at 1000 times today's data, issue 14). In LA
-- order within a release, so that one LA's and its neighbours' counts are a few blocks.
CREATE TABLE provider_la_counts AS
WITH p AS (
    SELECT sp.la_code, sp.provider_type, sp.places, sp.source_id, sp.as_at AS facts_as_at,
           pt.is_childrens_home, g.is_good_or_better
    FROM social_care_providers sp
    JOIN provider_types pt ON pt.provider_type = sp.provider_type
    JOIN grades g ON g.grade = sp.overall_grade AND g.scale = 'four_point'
    WHERE sp.overall_grade <> 'not_judged'
),
grouped AS (
    SELECT p.*, p.provider_type AS provider_group FROM p
    UNION ALL
    SELECT p.*, 'all_childrens_homes' FROM p WHERE p.is_childrens_home
    UNION ALL
    SELECT p.*, 'all' FROM p
),
counted AS (
    SELECT grouped.facts_as_at, grouped.la_code, grouped.provider_group,
           count(*) AS n_providers,
           count(*) FILTER (WHERE grouped.is_good_or_better) AS n_good_or_better,
           coalesce(sum(grouped.places), 0) AS places,
           coalesce(sum(grouped.places) FILTER (WHERE grouped.is_good_or_better), 0)
               AS places_good_or_better,
           any_value(grouped.source_id) AS source_id
    FROM grouped
    GROUP BY grouped.facts_as_at, grouped.la_code, grouped.provider_group
)
SELECT c.*, performance_band(c.n_good_or_better / c.n_providers) AS band,
       l.la_code IS NOT NULL AS la_known, l.region_name,
       (l.valid_from IS NULL OR l.valid_from <= c.facts_as_at)
           AND (l.valid_to IS NULL OR l.valid_to >= c.facts_as_at) AS on_release
FROM counted c
LEFT JOIN local_authorities l ON l.la_code = c.la_code
ORDER BY c.facts_as_at, c.la_code, c.provider_group;

-- The same summed per region (LAs the collection knows; on_release: those existing on the
-- release's date), for the region and England figures.
CREATE TABLE provider_region_counts AS
SELECT c.facts_as_at, c.provider_group, c.region_name, c.on_release,
       count(DISTINCT c.la_code) AS n_las_with_providers, sum(c.n_providers) AS n_providers,
       sum(c.n_good_or_better) AS n_good_or_better, sum(c.places) AS places,
       sum(c.places_good_or_better) AS places_good_or_better
FROM provider_la_counts c
WHERE c.la_known
GROUP BY ALL
ORDER BY c.facts_as_at, c.provider_group, c.region_name, c.on_release;

-- Each provider release: its date and source (with its title).
CREATE TABLE provider_releases AS
SELECT r.*, s.title AS source_title
FROM (SELECT x.as_at AS facts_as_at, any_value(x.source_id) AS source_id
      FROM social_care_providers x GROUP BY x.as_at) r
LEFT JOIN sources s ON s.source_id = r.source_id
ORDER BY r.facts_as_at;

-- The providers of each group in each release England-wide (every provider of the release,
-- wherever it is): the computed side of Ofsted's latest-judgement series.
CREATE TABLE provider_release_totals AS
SELECT c.facts_as_at, c.provider_group, sum(c.n_providers) AS n_providers,
       sum(c.n_good_or_better) AS n_good_or_better
FROM provider_la_counts c
GROUP BY ALL
ORDER BY c.facts_as_at, c.provider_group;

-- The LAs existing on each release's date, per region (the groups' number of LAs).
CREATE TABLE provider_release_las AS
SELECT r.facts_as_at, l.region_name, count(*) AS n_las
FROM provider_releases r
JOIN local_authorities l
  ON (l.valid_from IS NULL OR l.valid_from <= r.facts_as_at)
 AND (l.valid_to IS NULL OR l.valid_to >= r.facts_as_at)
GROUP BY ALL
ORDER BY r.facts_as_at, l.region_name;

-- Per year (to 31 March) and provider group: the year's full inspections with an overall grade
-- and those good or better (the computed side of Ofsted's in-year series).
CREATE TABLE provider_year_counts AS
WITH i AS (
    SELECT i.period_end, i.provider_type, pt.is_childrens_home, g.is_good_or_better
    FROM social_care_provider_inspections i
    JOIN provider_types pt ON pt.provider_type = i.provider_type
    JOIN grades g ON g.grade = i.overall_grade AND g.scale = 'four_point'
    WHERE i.inspection_type = 'full' AND i.overall_grade <> 'not_judged'
),
grouped AS (
    SELECT i.*, i.provider_type AS provider_group FROM i
    UNION ALL
    SELECT i.*, 'all_childrens_homes' FROM i WHERE i.is_childrens_home
    UNION ALL
    SELECT i.*, 'all' FROM i
)
SELECT period_end, provider_group, count(*) AS n_judged,
       count(*) FILTER (WHERE is_good_or_better) AS n_good_or_better
FROM grouped
GROUP BY ALL
ORDER BY period_end, provider_group;

-- The provider release as at a date: the latest one on or before it (one row; NULLs before the
-- first release).
CREATE MACRO provider_release_on(as_at) AS TABLE
SELECT max(r.facts_as_at) AS facts_as_at, arg_max(r.source_id, r.facts_as_at) AS source_id,
       arg_max(r.source_title, r.facts_as_at) AS source_title
FROM provider_releases r WHERE r.facts_as_at <= as_at;

-- Per LA and provider group (each type, 'all_childrens_homes', 'all') in the release as at a
-- date: providers with an overall grade, those good or better, and their places (agencies have
-- none). The building block of every provider share (read from provider_la_counts).
CREATE MACRO provider_counts(as_at) AS TABLE
SELECT c.la_code, c.provider_group, c.n_providers, c.n_good_or_better, c.places,
       c.places_good_or_better, c.facts_as_at, c.source_id
FROM provider_la_counts c
WHERE c.facts_as_at = (SELECT rel.facts_as_at FROM provider_release_on(as_at) rel);

-- One row per LA (existing on the release's date) with the share of its providers of a type
-- (NULL: all providers; 'all_childrens_homes'; a provider_types code) judged good or better at
-- their latest full inspection, seed 003's band, and the share of places good or better.
-- An LA with no such provider has n_providers 0 and no share or band.
CREATE MACRO provider_shares(as_at, provider_type := NULL) AS TABLE
WITH rel AS (SELECT * FROM provider_release_on(as_at)),
c AS (
    SELECT pc.* FROM provider_la_counts pc, rel
    WHERE pc.facts_as_at = rel.facts_as_at AND pc.provider_group = coalesce(provider_type, 'all')
)
SELECT l.la_code, coalesce(provider_type, 'all') AS provider_type,
       coalesce(c.n_providers, 0) AS n_providers,
       coalesce(c.n_good_or_better, 0) AS n_good_or_better,
       c.n_good_or_better / c.n_providers AS share_good_or_better,
       c.band,
       coalesce(c.places, 0) AS places,
       coalesce(c.places_good_or_better, 0) AS places_good_or_better,
       c.places_good_or_better / nullif(c.places, 0) AS share_places_good_or_better,
       l.name AS la_name, l.region_name, rel.facts_as_at, rel.source_id
FROM rel
JOIN local_authorities l
  ON (l.valid_from IS NULL OR l.valid_from <= rel.facts_as_at)
 AND (l.valid_to IS NULL OR l.valid_to >= rel.facts_as_at)
LEFT JOIN c ON c.la_code = l.la_code
WHERE rel.facts_as_at IS NOT NULL AND provider_group_known(provider_type)
ORDER BY l.name;

-- The same for England and each region (all providers located there, pooled; from
-- provider_region_counts).
CREATE MACRO provider_shares_by_geography(as_at, provider_type := NULL) AS TABLE
WITH rel AS (SELECT * FROM provider_release_on(as_at)),
c AS (
    SELECT rc.* FROM provider_region_counts rc, rel
    WHERE rc.facts_as_at = rel.facts_as_at AND rc.provider_group = coalesce(provider_type, 'all')
),
geo AS (
    SELECT 'England' AS geography, 'england' AS geography_level, 0 AS geo_order, c.* FROM c
    UNION ALL
    SELECT c.region_name, 'region', 1, c.* FROM c
)
SELECT geo.geography_level, geo.geography, coalesce(provider_type, 'all') AS provider_type,
       sum(geo.n_providers) AS n_providers, sum(geo.n_good_or_better) AS n_good_or_better,
       sum(geo.n_good_or_better) / sum(geo.n_providers) AS share_good_or_better,
       performance_band(sum(geo.n_good_or_better) / sum(geo.n_providers)) AS band,
       sum(geo.places) AS places, sum(geo.places_good_or_better) AS places_good_or_better,
       sum(geo.places_good_or_better) / nullif(sum(geo.places), 0) AS share_places_good_or_better,
       CAST(sum(geo.n_las_with_providers) AS BIGINT) AS n_las_with_providers,
       any_value(geo.facts_as_at) AS facts_as_at, any_value(rel.source_id) AS source_id
FROM geo, rel
WHERE provider_group_known(provider_type)
GROUP BY geo.geography_level, geo.geography, geo.geo_order
ORDER BY geo.geo_order, geo.geography;

-- Ofsted's national series for a provider group (tables 8a-8n: latest overall effectiveness as
-- at 31 March each year; measure := 'in_year_overall_effectiveness' for tables 9a-9e, the
-- year's full inspections), with the share good or better and its band; beside it the same
-- figure computed from the provider-level facts where a release has them (latest: every
-- provider with a latest grade; in year: the year's full inspections), and the number of
-- providers and places Ofsted counts (tables 6a/6b; as at 31 March only). The computed side is
-- read from provider_release_totals and provider_year_counts, counted at build.
CREATE MACRO provider_national_shares(provider_group := 'all',
                                      measure := 'latest_overall_effectiveness') AS TABLE
WITH pub AS (
    SELECT s.period_end, any_value(s.period_start) AS period_start,
           any_value(s.period_label) AS period_label, any_value(s.table_ref) AS table_ref,
           any_value(s.source_id) AS source_id,
           sum(s.value) FILTER (WHERE s.grade = 'outstanding') AS n_outstanding,
           sum(s.value) FILTER (WHERE s.grade = 'good') AS n_good,
           sum(s.value) FILTER (WHERE s.grade = 'requires_improvement') AS n_requires_improvement,
           sum(s.value) FILTER (WHERE s.grade = 'inadequate') AS n_inadequate,
           sum(s.value) AS n_judged,
           sum(s.value) FILTER (WHERE g.is_good_or_better) AS n_good_or_better,
           string_agg(DISTINCT nullif(s.note, ''), '; ' ORDER BY nullif(s.note, '')) AS note
    FROM provider_national_series s JOIN grades g ON g.grade = s.grade
    WHERE s.measure = measure AND s.provider_group = provider_group
    GROUP BY s.period_end
),
counts AS (
    SELECT s.period_end,
           max(s.value) FILTER (WHERE s.measure = 'providers') AS n_registered,
           max(s.value) FILTER (WHERE s.measure = 'places') AS places
    FROM provider_national_series s
    WHERE s.measure IN ('providers', 'places') AND s.provider_group = provider_group
    GROUP BY s.period_end
),
latest_facts AS (
    SELECT t.facts_as_at AS period_end, t.n_providers AS n_judged, t.n_good_or_better
    FROM provider_release_totals t WHERE t.provider_group = provider_group
),
year_facts AS (
    SELECT y.period_end, y.n_judged, y.n_good_or_better
    FROM provider_year_counts y WHERE y.provider_group = provider_group
),
computed AS (
    SELECT * FROM latest_facts WHERE measure = 'latest_overall_effectiveness'
    UNION ALL
    SELECT * FROM year_facts WHERE measure = 'in_year_overall_effectiveness'
)
SELECT pub.period_end, pub.period_start, pub.period_label, provider_group AS provider_group,
       measure AS measure,
       pub.n_outstanding, pub.n_good, pub.n_requires_improvement, pub.n_inadequate,
       pub.n_judged, pub.n_good_or_better,
       pub.n_good_or_better / nullif(pub.n_judged, 0) AS share_good_or_better,
       performance_band(pub.n_good_or_better / nullif(pub.n_judged, 0)) AS band,
       computed.n_judged AS computed_n_judged,
       computed.n_good_or_better AS computed_n_good_or_better,
       computed.n_good_or_better / nullif(computed.n_judged, 0) AS computed_share_good_or_better,
       counts.n_registered, counts.places, pub.table_ref, pub.source_id, pub.note
FROM pub
LEFT JOIN computed ON computed.period_end = pub.period_end
LEFT JOIN counts ON counts.period_end = pub.period_end AND measure = 'latest_overall_effectiveness'
WHERE provider_group_known(provider_group)
ORDER BY pub.period_end;

-- One LA's local picture as at a date against its statistical neighbours (a vintage), its
-- region and England, long: one row per section, measure and comparator.
--   section 'childrens_services': the latest judgement in each ILACS area under `framework`
--     (default ILACS, the current framework; NULL: any children's services framework, so an
--     area's latest grade may come from an older inspection than another's), favourable = good
--     or better;
--   section 'area_send': the latest area SEND outcome (2023 framework), favourable = positive;
--   section 'providers': providers judged good or better by provider group (the LA's own
--     types, all children's homes, all) in the provider release as at the date, favourable =
--     good or better, with seed 003's band. Group shares are pooled over the group's providers;
--     groups are taken on the release's date (an LA created since has no providers in it).
-- comparator 'la' rows give the LA's own value with its date (inspection end, or the
-- release's as-at date) and source; 'neighbours' (the LA excluded), 'region' and 'england'
-- (the LA included) give the number judged, the number and share favourable and, for
-- judgements, the distribution. n_members: the group's LAs existing on the date.
-- The LA and its neighbours are read LA by LA (their judgement intervals, area SEND intervals
-- and provider counts); the region and England are summed from the counts kept at build
-- (judgement_counts_as_at, area_send_counts_as_at, la_counts_as_at, provider_region_counts), so
-- the cost does not grow with the number of LAs (issue 14). The definition, over every LA, is
-- in tests/sql/local_area_by_definition.sql.
CREATE MACRO local_area_summary(la_code, as_at, vintage := 'current',
                                framework := 'ILACS') AS TABLE
WITH focus AS (
    SELECT l.la_code AS focus_code, l.name AS focus_name, l.region_name AS focus_region
    FROM local_authorities l WHERE l.la_code = la_code
),
-- the LA and its neighbours, member by member
groups AS (
    SELECT 'la' AS comparator, 1 AS comparator_order, f.focus_name AS comparator_name,
           f.focus_code AS member
    FROM focus f
    UNION ALL
    SELECT 'neighbours', 2, 'statistical neighbours (' || vintage || ' set)',
           sn.neighbour_la_code
    FROM statistical_neighbours sn WHERE sn.la_code = la_code AND sn.vintage = vintage
),
rel AS (SELECT * FROM provider_release_on(as_at)),
members AS (
    SELECT g.*, (l.valid_from IS NULL OR l.valid_from <= as_at)
                AND (l.valid_to IS NULL OR l.valid_to >= as_at) AS on_as_at,
           coalesce((l.valid_from IS NULL OR l.valid_from <= rel.facts_as_at)
                    AND (l.valid_to IS NULL OR l.valid_to >= rel.facts_as_at), false) AS on_release
    FROM groups g JOIN local_authorities l ON l.la_code = g.member CROSS JOIN rel
),
present AS (SELECT DISTINCT m.member FROM members m WHERE m.on_as_at),
-- the region and England: the regions each sums over
wide AS (
    SELECT 'region' AS comparator, 3 AS comparator_order, f.focus_region AS comparator_name,
           f.focus_region AS region_name
    FROM focus f WHERE f.focus_region IS NOT NULL
    UNION ALL
    SELECT DISTINCT 'england', 4, 'England', c.region_name FROM la_count_deltas c
),
measures_cs AS (
    SELECT * FROM (VALUES ('overall_effectiveness', 1), ('leadership', 2),
                          ('help_and_protection', 3), ('children_in_care_and_care_leavers', 4),
                          ('children_looked_after', 5), ('care_leavers', 6)) v(measure, measure_order)
),
-- the members' judgements holding on as_at (latest_judgements, LA by LA)
cs AS (
    SELECT jw.area AS measure, jw.la_code, jw.grade, jw.end_date, jw.published_date,
           jw.source_id, jw.source_title, jw.report_url, jw.framework
    FROM judgement_winners_by_la jw
    JOIN present p ON p.member = jw.la_code
    WHERE jw.area IN ('overall_effectiveness', 'leadership', 'help_and_protection',
                      'children_in_care_and_care_leavers', 'children_looked_after', 'care_leavers')
      AND jw.variant_framework = coalesce(framework, 'any')
      AND jw.valid_from <= as_at AND (jw.valid_to IS NULL OR jw.valid_to >= as_at)
),
-- every member's value per judgement measure, on one shape
per_la AS (
    SELECT 'childrens_services' AS section, 1 AS section_order, ms.measure, ms.measure_order,
           a.label AS measure_label, p.member AS la_code, cs.grade AS value,
           g.label AS value_label, g.grade_rank, g.is_good_or_better AS favourable,
           'good or better' AS favourable_means, cs.end_date AS dated, cs.published_date,
           cs.source_id, cs.source_title, cs.report_url, cs.framework
    FROM present p
    CROSS JOIN measures_cs ms
    JOIN areas a ON a.area = ms.measure
    LEFT JOIN cs ON cs.la_code = p.member AND cs.measure = ms.measure
    LEFT JOIN grades g ON g.grade = cs.grade
    WHERE cs.framework IS NULL
       OR cs.framework IN (SELECT f.framework FROM frameworks f
                           WHERE f.regime = 'childrens_services')
    UNION ALL
    SELECT 'area_send', 2, 'area_send_outcome', 1, 'Area SEND inspection outcome', p.member,
           o.outcome, o.outcome_label, o.outcome_rank, o.outcome = 'positive', 'positive',
           o.end_date, o.published_date, o.source_id, o.source_title, o.report_url, 'AREA_SEND'
    FROM present p
    LEFT JOIN area_send_intervals o
      ON o.la_code = p.member AND o.valid_from <= as_at
     AND (o.valid_to IS NULL OR o.valid_to >= as_at)
),
member_summary AS (
    SELECT p.section, p.section_order, p.measure, p.measure_order, p.measure_label,
           m.comparator, m.comparator_order, m.comparator_name,
           count(DISTINCT m.member) AS n_members,
           count(p.value) AS n_judged,
           count(p.value) FILTER (WHERE p.favourable) AS n_favourable,
           count(p.value) FILTER (WHERE p.favourable) / nullif(count(p.value), 0)
               AS share_favourable,
           any_value(p.favourable_means) AS favourable_means,
           NULL::VARCHAR AS band,
           CASE WHEN m.comparator = 'la' THEN any_value(p.value) END AS value,
           CASE WHEN m.comparator = 'la' THEN any_value(p.value_label) END AS value_label,
           CASE WHEN m.comparator = 'la' THEN any_value(p.framework) END AS framework,
           CASE WHEN m.comparator = 'la' THEN any_value(p.dated) END AS dated,
           CASE WHEN m.comparator = 'la' THEN any_value(p.published_date) END AS published_date,
           CASE WHEN m.comparator = 'la' THEN any_value(p.source_id) END AS source_id,
           CASE WHEN m.comparator = 'la' THEN any_value(p.source_title) END AS source_title,
           CASE WHEN m.comparator = 'la' THEN any_value(p.report_url) END AS report_url
    FROM members m JOIN per_la p ON p.la_code = m.member
    WHERE m.on_as_at OR m.comparator = 'la'
    GROUP BY p.section, p.section_order, p.measure, p.measure_order, p.measure_label,
             m.comparator, m.comparator_order, m.comparator_name
),
member_values AS (
    SELECT p.section, p.measure, m.comparator, p.value, p.grade_rank, count(*) AS n
    FROM members m JOIN per_la p ON p.la_code = m.member
    WHERE (m.on_as_at OR m.comparator = 'la') AND p.value IS NOT NULL
    GROUP BY p.section, p.measure, m.comparator, p.value, p.grade_rank
),
-- the region and England: LAs existing on as_at, and those holding each value
wide_members AS (
    SELECT w.comparator, w.comparator_order, w.comparator_name, sum(lc.n) AS n_members
    FROM wide w JOIN la_counts_as_at(as_at) lc ON lc.region_name IS NOT DISTINCT FROM w.region_name
    GROUP BY ALL
),
wide_values AS (
    SELECT 'childrens_services' AS section, jc.area AS measure, w.comparator, jc.grade AS value,
           g.grade_rank, coalesce(g.is_good_or_better, false) AS favourable, sum(jc.n) AS n
    FROM wide w
    JOIN judgement_counts_as_at(as_at, framework := framework) jc
      ON jc.region_name IS NOT DISTINCT FROM w.region_name
    LEFT JOIN grades g ON g.grade = jc.grade
    WHERE jc.area IN ('overall_effectiveness', 'leadership', 'help_and_protection',
                      'children_in_care_and_care_leavers', 'children_looked_after', 'care_leavers')
    GROUP BY ALL
    UNION ALL
    SELECT 'area_send', 'area_send_outcome', w.comparator, ac.outcome, g.grade_rank,
           ac.outcome = 'positive', sum(ac.n)
    FROM wide w
    JOIN area_send_counts_as_at(as_at) ac ON ac.region_name IS NOT DISTINCT FROM w.region_name
    LEFT JOIN grades g ON g.grade = ac.outcome AND g.scale = 'area_send'
    WHERE ac.outcome IS NOT NULL
    GROUP BY ALL
),
wide_measures AS (
    SELECT 'childrens_services' AS section, 1 AS section_order, ms.measure, ms.measure_order,
           a.label AS measure_label, 'good or better' AS favourable_means
    FROM measures_cs ms JOIN areas a ON a.area = ms.measure
    UNION ALL
    SELECT 'area_send', 2, 'area_send_outcome', 1, 'Area SEND inspection outcome', 'positive'
),
wide_summary AS (
    SELECT wm.section, wm.section_order, wm.measure, wm.measure_order, wm.measure_label,
           w.comparator, w.comparator_order, w.comparator_name,
           CAST(w.n_members AS BIGINT) AS n_members,
           CAST(coalesce(sum(v.n), 0) AS BIGINT) AS n_judged,
           CAST(coalesce(sum(v.n) FILTER (WHERE v.favourable), 0) AS BIGINT) AS n_favourable,
           CAST(coalesce(sum(v.n) FILTER (WHERE v.favourable), 0) AS BIGINT)
               / nullif(CAST(coalesce(sum(v.n), 0) AS BIGINT), 0) AS share_favourable,
           wm.favourable_means,
           NULL::VARCHAR AS band, NULL::VARCHAR AS value, NULL::VARCHAR AS value_label,
           NULL::VARCHAR AS framework, NULL::DATE AS dated, NULL::DATE AS published_date,
           NULL::VARCHAR AS source_id, NULL::VARCHAR AS source_title,
           NULL::VARCHAR AS report_url
    FROM wide_members w
    CROSS JOIN wide_measures wm
    LEFT JOIN wide_values v
      ON v.comparator = w.comparator AND v.section = wm.section AND v.measure = wm.measure
    WHERE w.n_members > 0
    GROUP BY ALL
),
distribution AS (
    SELECT d.section, d.measure, d.comparator,
           string_agg(d.value || ' ' || d.n, '; ' ORDER BY d.grade_rank, d.value) AS distribution
    FROM (SELECT * FROM member_values
          UNION ALL
          SELECT v.section, v.measure, v.comparator, v.value, v.grade_rank, CAST(v.n AS BIGINT)
          FROM wide_values v WHERE v.n > 0) d
    GROUP BY d.section, d.measure, d.comparator
),
pc AS (
    SELECT c.* FROM provider_la_counts c, rel
    WHERE c.facts_as_at = rel.facts_as_at AND c.la_code IN (SELECT m.member FROM members m)
),
-- provider groups shown: the LA's own types, all children's homes and all providers
measures AS (
    SELECT g.provider_group AS measure,
           coalesce(pt.sort_order, CASE g.provider_group WHEN 'all' THEN 100 ELSE 99 END)
               AS measure_order,
           coalesce(pt.label, CASE g.provider_group WHEN 'all' THEN 'All providers'
                                                     ELSE 'All children''s homes' END)
               AS measure_label
    FROM (SELECT x.provider_group FROM pc x JOIN focus f ON x.la_code = f.focus_code
          UNION SELECT 'all' UNION SELECT 'all_childrens_homes') g
    LEFT JOIN provider_types pt ON pt.provider_type = g.provider_group
),
member_comparators AS (
    SELECT DISTINCT m.comparator, m.comparator_order, m.comparator_name FROM members m
),
provider_summary AS (
    SELECT 'providers' AS section, 3 AS section_order, ms.measure, ms.measure_order,
           ms.measure_label, c.comparator, c.comparator_order, c.comparator_name,
           count(DISTINCT mb.member) FILTER (WHERE mb.on_release) AS n_members,
           coalesce(sum(pc.n_providers), 0) AS n_judged,
           coalesce(sum(pc.n_good_or_better), 0) AS n_favourable,
           sum(pc.n_good_or_better) / sum(pc.n_providers) AS share_favourable,
           'good or better' AS favourable_means,
           performance_band(sum(pc.n_good_or_better) / sum(pc.n_providers)) AS band,
           NULL::VARCHAR AS value, NULL::VARCHAR AS value_label, NULL::VARCHAR AS framework,
           any_value(rel.facts_as_at) AS dated, NULL::DATE AS published_date,
           any_value(rel.source_id) AS source_id, any_value(rel.source_title) AS source_title,
           NULL::VARCHAR AS report_url
    FROM measures ms
    CROSS JOIN member_comparators c
    CROSS JOIN rel
    LEFT JOIN members mb ON mb.comparator = c.comparator
    LEFT JOIN pc ON pc.la_code = mb.member AND pc.provider_group = ms.measure
    WHERE rel.facts_as_at IS NOT NULL
    GROUP BY ms.measure, ms.measure_order, ms.measure_label, c.comparator, c.comparator_order,
             c.comparator_name
),
-- the region's and England's providers (every LA of the group, pooled) and LAs on the
-- release's date
wide_release_las AS (
    SELECT w.comparator, sum(rl.n_las) AS n_las
    FROM wide w JOIN provider_release_las rl ON rl.region_name IS NOT DISTINCT FROM w.region_name
    JOIN rel ON rl.facts_as_at = rel.facts_as_at
    GROUP BY w.comparator
),
wide_providers AS (
    SELECT w.comparator, rc.provider_group, sum(rc.n_providers) AS n_providers,
           sum(rc.n_good_or_better) AS n_good_or_better
    FROM wide w
    JOIN provider_region_counts rc ON rc.region_name IS NOT DISTINCT FROM w.region_name
    JOIN rel ON rc.facts_as_at = rel.facts_as_at
    GROUP BY w.comparator, rc.provider_group
),
wide_provider_summary AS (
    SELECT 'providers' AS section, 3 AS section_order, ms.measure, ms.measure_order,
           ms.measure_label, c.comparator, c.comparator_order, c.comparator_name,
           CAST(coalesce(any_value(rl.n_las), 0) AS BIGINT) AS n_members,
           coalesce(sum(wp.n_providers), 0) AS n_judged,
           coalesce(sum(wp.n_good_or_better), 0) AS n_favourable,
           sum(wp.n_good_or_better) / sum(wp.n_providers) AS share_favourable,
           'good or better' AS favourable_means,
           performance_band(sum(wp.n_good_or_better) / sum(wp.n_providers)) AS band,
           NULL::VARCHAR AS value, NULL::VARCHAR AS value_label, NULL::VARCHAR AS framework,
           any_value(rel.facts_as_at) AS dated, NULL::DATE AS published_date,
           any_value(rel.source_id) AS source_id, any_value(rel.source_title) AS source_title,
           NULL::VARCHAR AS report_url
    FROM measures ms
    CROSS JOIN (SELECT DISTINCT w.comparator, w.comparator_order, w.comparator_name
                FROM wide w) c
    CROSS JOIN rel
    LEFT JOIN wide_release_las rl ON rl.comparator = c.comparator
    LEFT JOIN wide_providers wp ON wp.comparator = c.comparator AND wp.provider_group = ms.measure
    WHERE rel.facts_as_at IS NOT NULL
    GROUP BY ms.measure, ms.measure_order, ms.measure_label, c.comparator, c.comparator_order,
             c.comparator_name
),
summary AS (
    SELECT * FROM member_summary UNION ALL SELECT * FROM wide_summary
    UNION ALL SELECT * FROM provider_summary UNION ALL SELECT * FROM wide_provider_summary
)
SELECT s.section, s.measure, s.measure_label, s.comparator, s.comparator_name, s.value,
       s.value_label, s.n_members, s.n_judged, s.n_favourable, s.share_favourable,
       s.favourable_means, s.band, d.distribution, s.framework, s.dated, s.published_date,
       s.source_id, s.source_title, s.report_url
FROM summary s
LEFT JOIN distribution d
  ON d.section = s.section AND d.measure = s.measure AND d.comparator = s.comparator
ORDER BY s.section_order, s.measure_order, s.comparator_order;
