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
CREATE MACRO judgements_as_at_series(area, from_date, to_date, framework := NULL,
                                     published_by := NULL, which := 'latest',
                                     include_secondary := true) AS TABLE
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
)
SELECT l.series_date, l.la_code, l.la_name, l.region_name, l.la_type,
       e.inspection_id, e.framework, e.inspection_type, e.start_date, e.end_date, e.published_date,
       e.grade, e.grade_rank, e.grade_text, e.source_id, e.evidence, e.has_conflict, e.report_url
FROM las l LEFT JOIN eligible e ON e.series_date = l.series_date AND e.la_code = l.la_code AND e.rn = 1;

-- One row per LA existing on as_at with its latest judgement in `area` (NULL grade: none yet).
CREATE MACRO latest_judgements(as_at, area, framework := NULL, published_by := NULL,
                               include_secondary := true) AS TABLE
SELECT * EXCLUDE (series_date)
FROM judgements_as_at_series(area, as_at, as_at, framework := framework,
                             published_by := published_by, which := 'latest',
                             include_secondary := include_secondary);

-- The same with each LA's first inspection under the framework.
CREATE MACRO first_judgements(as_at, area, framework := NULL, published_by := NULL,
                              include_secondary := true) AS TABLE
SELECT * EXCLUDE (series_date)
FROM judgements_as_at_series(area, as_at, as_at, framework := framework,
                             published_by := published_by, which := 'first',
                             include_secondary := include_secondary);

-- Grade, count and share of LAs with a judgement; n_las counts every LA existing on as_at.
CREATE MACRO grade_distribution(as_at, area, framework := NULL, published_by := NULL,
                                which := 'latest', include_secondary := true) AS TABLE
WITH lj AS (
    SELECT * FROM judgements_as_at_series(area, as_at, as_at, framework := framework,
                                          published_by := published_by, which := which,
                                          include_secondary := include_secondary)
)
SELECT g.grade, g.label, g.grade_rank,
       count(lj.la_code) AS n,
       count(lj.la_code) / nullif((SELECT count(*) FROM lj WHERE lj.grade IS NOT NULL), 0) AS share,
       (SELECT count(*) FROM lj WHERE lj.grade IS NOT NULL) AS n_judged,
       (SELECT count(*) FROM lj) AS n_las
FROM grades g LEFT JOIN lj ON lj.grade = g.grade
WHERE g.grade <> 'not_judged'
GROUP BY ALL
ORDER BY g.grade_rank;

-- Monthly grade distribution (national and by region): the trend charts.
CREATE MACRO grade_distribution_over_time(area, from_date, to_date, framework := NULL,
                                          include_secondary := true) AS TABLE
WITH s AS (
    SELECT * FROM judgements_as_at_series(area, from_date, to_date, framework := framework,
                                          include_secondary := include_secondary)
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
       n / sum(n) OVER (PARTITION BY series_date, geography) AS share
FROM counted ORDER BY as_at, geography, grade;

-- Share failing (requires improvement + inadequate) and good or better, monthly, for England
-- and each region. area may be 'any_practice' (worst of the practice judgements).
CREATE MACRO failing_over_time(area, from_date, to_date, framework := NULL,
                               include_secondary := true) AS TABLE
WITH s AS (
    SELECT s.*, g.is_failing, g.is_good_or_better
    FROM judgements_as_at_series(area, from_date, to_date, framework := framework,
                                 include_secondary := include_secondary) s
    LEFT JOIN grades g ON g.grade = s.grade
),
geo AS (
    SELECT series_date, 'England' AS geography, * EXCLUDE (series_date) FROM s
    UNION ALL
    SELECT series_date, region_name AS geography, * EXCLUDE (series_date) FROM s
)
SELECT series_date AS month, geography,
       count(*) AS n_las,
       count(grade) AS n_judged,
       count(*) FILTER (WHERE is_failing) AS n_failing,
       count(*) FILTER (WHERE is_good_or_better) AS n_good_or_better,
       count(*) FILTER (WHERE is_failing) / nullif(count(grade), 0) AS share_failing,
       count(*) FILTER (WHERE is_good_or_better) / nullif(count(grade), 0) AS share_good_or_better
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

-- An LA and its statistical neighbours (a vintage: 'current' or 'previous') with their latest
-- judgement in `area` as at a date. rank 0 is the LA itself.
CREATE MACRO neighbour_judgements(la_code, as_at, area, vintage := 'current',
                                  framework := NULL) AS TABLE
WITH grp AS (
    SELECT la_code AS member, 0 AS rank
    UNION ALL
    SELECT s.neighbour_la_code, s.rank FROM statistical_neighbours s
    WHERE s.la_code = la_code AND s.vintage = vintage
)
SELECT grp.rank, grp.member = la_code AS is_focus, lj.*
FROM grp JOIN latest_judgements(as_at, area, framework := framework) lj ON lj.la_code = grp.member
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
