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

-- The core: for each date in [from_date, to_date] (month ends) each LA existing then, with its
-- latest (or first, `which := 'first'`) judgement. published_by overrides the publication
-- cut-off of every date (used for single-date official-statistics bases).
--
-- "Today" after the April 2026 change, defined here once: ILACS inspections starting on or after
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
           arg_max(i.inspection_id, coalesce(i.end_date, i.published_date)) AS reform_id,
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
),
base AS (
    SELECT l.*, e.* EXCLUDE (series_date, la_code, rn), r.reform_id,
           coalesce(r.reform_id IS NOT NULL AND (e.ended IS NULL OR r.reform_ended > e.ended),
                    false) AS sup
    FROM las l
    LEFT JOIN eligible e ON e.series_date = l.series_date AND e.la_code = l.la_code AND e.rn = 1
    LEFT JOIN reform r ON r.series_date = l.series_date AND r.la_code = l.la_code
    WHERE CASE WHEN superseded IN ('not_current', 'carry_forward')
                    AND wording IN ('at_the_time', 'current') THEN true
               ELSE error('superseded must be ''not_current'' or ''carry_forward'', and wording '
                          || '''at_the_time'' or ''current''') END
),
shown AS (
    SELECT b.*, ri.start_date AS reform_start,
           b.sup AND superseded = 'not_current' AS replace_row,
           CASE WHEN b.sup AND superseded = 'not_current' THEN 'no_overall_grade'
                WHEN wording = 'current' THEN coalesce(g.current_wording, b.grade)
                ELSE b.grade END AS shown_grade,
           ri.framework AS r_framework, ri.inspection_type AS r_type, ri.end_date AS r_end,
           ri.published_date AS r_published, ri.report_url AS r_url,
           ri.preferred_source_id AS r_source, ri.evidence AS r_evidence
    FROM base b
    LEFT JOIN grades g ON g.grade = b.grade
    LEFT JOIN inspections ri ON ri.inspection_id = b.reform_id AND b.sup
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

-- One row per LA existing on as_at with its latest judgement in `area` (NULL grade: none yet).
CREATE MACRO latest_judgements(as_at, area, framework := NULL, published_by := NULL,
                               include_secondary := true, superseded := 'not_current',
                               wording := 'at_the_time') AS TABLE
SELECT * EXCLUDE (series_date)
FROM judgements_as_at_series(area, as_at, as_at, framework := framework,
                             published_by := published_by, which := 'latest',
                             include_secondary := include_secondary, superseded := superseded,
                             wording := wording);

-- The same with each LA's first inspection under the framework.
CREATE MACRO first_judgements(as_at, area, framework := NULL, published_by := NULL,
                              include_secondary := true, wording := 'at_the_time') AS TABLE
SELECT * EXCLUDE (series_date)
FROM judgements_as_at_series(area, as_at, as_at, framework := framework,
                             published_by := published_by, which := 'first',
                             include_secondary := include_secondary, wording := wording);

-- Grade, count and share of LAs with a judgement; n_las counts every LA existing on as_at.
-- Every grade of the four-point scale is listed; adequate (pre-2013 scale) and the
-- no-overall-grade category only where they occur. share is of LAs with a current grade
-- (n_judged; the no-overall-grade category is outside it, its share NULL); share_of_las is of
-- every LA existing on the date.
CREATE MACRO grade_distribution(as_at, area, framework := NULL, published_by := NULL,
                                which := 'latest', include_secondary := true,
                                superseded := 'not_current', wording := 'at_the_time') AS TABLE
WITH lj AS (
    SELECT * FROM judgements_as_at_series(area, as_at, as_at, framework := framework,
                                          published_by := published_by, which := which,
                                          include_secondary := include_secondary,
                                          superseded := superseded, wording := wording)
),
totals AS (
    SELECT count(*) FILTER (WHERE grade IS NOT NULL AND grade <> 'no_overall_grade') AS n_judged,
           count(*) AS n_las
    FROM lj
)
SELECT g.grade, g.label, g.grade_rank,
       count(lj.la_code) AS n,
       CASE WHEN g.grade <> 'no_overall_grade'
            THEN count(lj.la_code) / nullif(any_value(t.n_judged), 0) END AS share,
       any_value(t.n_judged) AS n_judged,
       any_value(t.n_las) AS n_las,
       count(lj.la_code) / nullif(any_value(t.n_las), 0) AS share_of_las,
       g.scale
FROM grades g CROSS JOIN totals t LEFT JOIN lj ON lj.grade = g.grade
WHERE g.grade <> 'not_judged'
GROUP BY g.grade, g.label, g.grade_rank, g.scale
HAVING g.scale = 'four_point' OR count(lj.la_code) > 0
ORDER BY g.grade_rank, g.grade;

-- Monthly grade distribution (national and by region): the trend charts. share is of LAs with a
-- current grade (the no-overall-grade category has its count and a NULL share).
CREATE MACRO grade_distribution_over_time(area, from_date, to_date, framework := NULL,
                                          include_secondary := true,
                                          superseded := 'not_current',
                                          wording := 'at_the_time') AS TABLE
WITH s AS (
    SELECT * FROM judgements_as_at_series(area, from_date, to_date, framework := framework,
                                          include_secondary := include_secondary,
                                          superseded := superseded, wording := wording)
),
geo AS (
    SELECT series_date, 'England' AS geography, grade, la_code FROM s
    UNION ALL
    SELECT series_date, region_name, grade, la_code FROM s
),
counted AS (
    SELECT series_date, geography, grade, count(*) AS n
    FROM geo WHERE grade IS NOT NULL
    GROUP BY series_date, geography, grade
)
SELECT series_date AS as_at, geography, grade, n,
       CASE WHEN grade <> 'no_overall_grade'
            THEN n / sum(CASE WHEN grade <> 'no_overall_grade' THEN n END)
                     OVER (PARTITION BY series_date, geography) END AS share
FROM counted ORDER BY as_at, geography, grade;

-- Share failing and good or better (grades.is_failing / is_good_or_better: requires improvement,
-- adequate and inadequate fail; outstanding and good are good or better), monthly, for England
-- and each region, of LAs with a current grade. area may be 'any_practice' (worst of the practice
-- judgements). LAs whose latest inspection gave no overall grade (after April 2026) are counted
-- in n_no_overall_grade, outside the shares (with superseded := 'carry_forward' they count under
-- their previous grade, and n_superseded says how many).
CREATE MACRO failing_over_time(area, from_date, to_date, framework := NULL,
                               include_secondary := true, superseded := 'not_current',
                               wording := 'at_the_time') AS TABLE
WITH s AS (
    SELECT s.*, g.is_failing, g.is_good_or_better
    FROM judgements_as_at_series(area, from_date, to_date, framework := framework,
                                 include_secondary := include_secondary,
                                 superseded := superseded, wording := wording) s
    LEFT JOIN grades g ON g.grade = s.grade
),
geo AS (
    SELECT series_date, 'England' AS geography, * EXCLUDE (series_date) FROM s
    UNION ALL
    SELECT series_date, region_name AS geography, * EXCLUDE (series_date) FROM s
)
SELECT series_date AS month, geography,
       count(*) AS n_las,
       count(grade) FILTER (WHERE grade <> 'no_overall_grade') AS n_judged,
       count(*) FILTER (WHERE is_failing) AS n_failing,
       count(*) FILTER (WHERE is_good_or_better) AS n_good_or_better,
       count(*) FILTER (WHERE is_failing)
           / nullif(count(grade) FILTER (WHERE grade <> 'no_overall_grade'), 0) AS share_failing,
       count(*) FILTER (WHERE is_good_or_better)
           / nullif(count(grade) FILTER (WHERE grade <> 'no_overall_grade'), 0) AS share_good_or_better,
       count(*) FILTER (WHERE grade = 'adequate') AS n_adequate,
       count(*) FILTER (WHERE grade = 'no_overall_grade') AS n_no_overall_grade,
       count(*) FILTER (WHERE is_superseded) AS n_superseded
FROM geo
GROUP BY ALL ORDER BY month, geography;

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
  AND (include_secondary OR coalesce(j.evidence, '') <> 'secondary');

-- Cycle completion: per month, LAs existing then with at least one published inspection under
-- the framework (since cycle_start, if given).
CREATE MACRO cycle_progress(framework, from_date, to_date, cycle_start := NULL) AS TABLE
WITH dates AS (SELECT month_end AS as_at FROM month_ends(from_date, to_date)),
firsts AS (
    SELECT la_code, min(coalesce(published_date, published_by_bound)) AS first_published
    FROM inspections
    WHERE is_inspection AND inspections.framework = framework
      AND coalesce(published_date, published_by_bound) IS NOT NULL
      AND (cycle_start IS NULL
           OR coalesce(start_date, end_date, published_date, published_by_bound) >= cycle_start)
    GROUP BY la_code
)
SELECT d.as_at,
       count(f.la_code) AS n_inspected,
       count(*) AS n_las,
       count(f.la_code) / count(*) AS share
FROM dates d
JOIN local_authorities l
  ON (l.valid_from IS NULL OR l.valid_from <= d.as_at) AND (l.valid_to IS NULL OR l.valid_to >= d.as_at)
LEFT JOIN firsts f ON f.la_code = l.la_code AND f.first_published <= d.as_at
GROUP BY d.as_at ORDER BY d.as_at;

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
)
SELECT grp.rank, grp.member = la_code AS is_focus, lj.*, grp.closeness,
       (SELECT v FROM chosen) AS vintage_used
FROM grp JOIN latest_judgements(as_at, area, framework := framework, superseded := superseded,
                                wording := wording) lj ON lj.la_code = grp.member
ORDER BY grp.rank;

-- The LA's next inspection due under ILACS: roughly three years after the last standard or
-- short inspection (a framework rule of thumb; Ofsted also brings inspections forward).
CREATE MACRO ilacs_next_due(as_at, interval_months := 36) AS TABLE
WITH last AS (
    SELECT la_code, arg_max(inspection_id, coalesce(end_date, published_date)) AS inspection_id,
           max(coalesce(end_date, published_date)) AS last_inspected
    FROM inspections
    WHERE framework = 'ILACS' AND is_inspection AND published_date <= as_at
    GROUP BY la_code
)
SELECT l.la_code, l.name AS la_name, l.region_name, last.inspection_id, i.inspection_type,
       last.last_inspected, j.grade AS last_overall,
       CAST(last.last_inspected + to_months(interval_months) AS DATE) AS next_due,
       CAST(last.last_inspected + to_months(interval_months) AS DATE) < as_at AS overdue,
       datediff('day', last.last_inspected, as_at) AS days_since_last
FROM las_on(as_at) l
LEFT JOIN last USING (la_code)
LEFT JOIN inspections i ON i.inspection_id = last.inspection_id
LEFT JOIN judgements j ON j.inspection_id = last.inspection_id AND j.area = 'overall_effectiveness'
ORDER BY next_due NULLS FIRST, l.name;
