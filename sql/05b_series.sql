-- Build step 5b: the monthly series. They count the judgement intervals (judgement_intervals,
-- sql/05_macros.sql, read from the build's judgement_winners table) with change events and
-- running sums, instead of ranking every LA's judgements again at every month end.

-- Month-end points of a series, numbered (the last point is to_date itself).
CREATE MACRO series_points(from_date, to_date) AS TABLE
SELECT month_end AS d, row_number() OVER (ORDER BY month_end) AS idx
FROM month_ends(from_date, to_date);

-- Each LA's winning judgement intervals clipped to the LA's own existence and placed on the
-- series points they cover (first_idx .. last_idx); what the monthly counts are summed from.
CREATE MACRO covered_intervals(area, from_date, to_date, framework := NULL,
                               include_secondary := true, superseded := 'not_current',
                               wording := 'at_the_time') AS TABLE
WITH clipped AS (
    SELECT l.la_code, l.region_name,
           CASE WHEN wording = 'current' THEN coalesce(g.current_wording, iv.grade)
                WHEN wording = 'at_the_time' THEN iv.grade
                ELSE error('wording must be ''at_the_time'' or ''current''') END AS grade,
           iv.is_superseded,
           greatest(iv.valid_from, coalesce(l.valid_from, iv.valid_from)) AS f,
           least(coalesce(iv.valid_to, DATE '9999-12-31'),
                 coalesce(l.valid_to, DATE '9999-12-31')) AS t
    FROM judgement_intervals(area, framework := framework, include_secondary := include_secondary,
                             superseded := superseded) iv
    JOIN local_authorities l ON l.la_code = iv.la_code
    LEFT JOIN grades g ON g.grade = iv.grade
),
placed AS (
    SELECT c.*, ps.idx AS first_idx
    FROM clipped c ASOF JOIN series_points(from_date, to_date) ps ON c.f <= ps.d
    WHERE c.f <= c.t
)
SELECT p.*, pe.idx AS last_idx
FROM placed p ASOF JOIN series_points(from_date, to_date) pe ON p.t >= pe.d
WHERE pe.idx >= p.first_idx;

-- LAs existing at each series point, by the same placement (the denominators).
CREATE MACRO covered_las(from_date, to_date) AS TABLE
WITH placed AS (
    SELECT l.la_code, l.region_name, coalesce(l.valid_to, DATE '9999-12-31') AS t, ps.idx AS first_idx
    FROM local_authorities l
    ASOF JOIN series_points(from_date, to_date) ps ON coalesce(l.valid_from, DATE '1900-01-01') <= ps.d
)
SELECT p.*, pe.idx AS last_idx
FROM placed p ASOF JOIN series_points(from_date, to_date) pe ON p.t >= pe.d
WHERE pe.idx >= p.first_idx;

-- Monthly grade distribution (national and by region): the trend charts. share is of LAs with a
-- current grade (the no-overall-grade category has its count and a NULL share). Counted from
-- judgement_intervals as failing_over_time is.
CREATE MACRO grade_distribution_over_time(area, from_date, to_date, framework := NULL,
                                          include_secondary := true,
                                          superseded := 'not_current',
                                          wording := 'at_the_time') AS TABLE
WITH iv AS (
    SELECT * FROM covered_intervals(area, from_date, to_date, framework := framework,
                                    include_secondary := include_secondary,
                                    superseded := superseded, wording := wording)
),
events AS (
    SELECT g.geography, iv.grade, e.idx, e.sign AS n
    FROM iv
    CROSS JOIN LATERAL (VALUES ('England'), (iv.region_name)) g(geography)
    CROSS JOIN LATERAL (VALUES (iv.first_idx, 1), (iv.last_idx + 1, -1)) e(idx, sign)
),
stepped AS (
    SELECT geography, grade, idx, sum(n) AS n FROM events GROUP BY geography, grade, idx
),
filled AS (
    SELECT p.d AS as_at, k.geography, k.grade,
           sum(coalesce(s.n, 0)) OVER (PARTITION BY k.geography, k.grade ORDER BY p.idx) AS n
    FROM series_points(from_date, to_date) p
    CROSS JOIN (SELECT DISTINCT geography, grade FROM stepped) k
    LEFT JOIN stepped s ON s.idx = p.idx AND s.geography IS NOT DISTINCT FROM k.geography
                       AND s.grade = k.grade
)
SELECT as_at, geography, grade, CAST(n AS BIGINT) AS n,
       CASE WHEN grade <> 'no_overall_grade'
            THEN n / sum(CASE WHEN grade <> 'no_overall_grade' THEN n END)
                     OVER (PARTITION BY as_at, geography) END AS share
FROM filled WHERE n > 0
ORDER BY as_at, geography, grade;

-- Share failing and good or better (grades.is_failing / is_good_or_better: requires improvement,
-- adequate and inadequate fail; outstanding and good are good or better), monthly, for England
-- and each region, of LAs with a current grade. area may be 'any_practice' (worst of the practice
-- judgements). LAs whose latest inspection gave no overall grade (after April 2026) are counted
-- in n_no_overall_grade, outside the shares (with superseded := 'carry_forward' they count under
-- their previous grade, and n_superseded says how many).
-- Counted from judgement_intervals: change events and running sums over the month ends.
CREATE MACRO failing_over_time(area, from_date, to_date, framework := NULL,
                               include_secondary := true, superseded := 'not_current',
                               wording := 'at_the_time') AS TABLE
WITH iv AS (
    SELECT c.*, g.is_failing, g.is_good_or_better
    FROM covered_intervals(area, from_date, to_date, framework := framework,
                           include_secondary := include_secondary, superseded := superseded,
                           wording := wording) c
    LEFT JOIN grades g ON g.grade = c.grade
),
-- +1 where an interval starts covering points, -1 after its last point; per geography
events AS (
    SELECT geo.geography, e.idx,
           e.sign * (iv.grade <> 'no_overall_grade')::INT AS judged,
           e.sign * coalesce(iv.is_failing, false)::INT AS failing,
           e.sign * coalesce(iv.is_good_or_better, false)::INT AS good,
           e.sign * (iv.grade = 'adequate')::INT AS adequate,
           e.sign * (iv.grade = 'no_overall_grade')::INT AS no_overall,
           e.sign * iv.is_superseded::INT AS superseded_n,
           0 AS las
    FROM iv
    CROSS JOIN LATERAL (VALUES ('England'), (iv.region_name)) geo(geography)
    CROSS JOIN LATERAL (VALUES (iv.first_idx, 1), (iv.last_idx + 1, -1)) e(idx, sign)
    UNION ALL
    SELECT geo.geography, e.idx, 0, 0, 0, 0, 0, 0, e.sign
    FROM covered_las(from_date, to_date) l
    CROSS JOIN LATERAL (VALUES ('England'), (l.region_name)) geo(geography)
    CROSS JOIN LATERAL (VALUES (l.first_idx, 1), (l.last_idx + 1, -1)) e(idx, sign)
),
stepped AS (
    SELECT geography, idx, sum(las) AS las, sum(judged) AS judged, sum(failing) AS failing,
           sum(good) AS good, sum(adequate) AS adequate, sum(no_overall) AS no_overall,
           sum(superseded_n) AS superseded_n
    FROM events GROUP BY geography, idx
),
filled AS (  -- running totals at every point, points without an event included
    SELECT p.d AS month, k.geography,
           sum(coalesce(s.las, 0)) OVER w AS n_las, sum(coalesce(s.judged, 0)) OVER w AS n_judged,
           sum(coalesce(s.failing, 0)) OVER w AS n_failing,
           sum(coalesce(s.good, 0)) OVER w AS n_good_or_better,
           sum(coalesce(s.adequate, 0)) OVER w AS n_adequate,
           sum(coalesce(s.no_overall, 0)) OVER w AS n_no_overall_grade,
           sum(coalesce(s.superseded_n, 0)) OVER w AS n_superseded
    FROM series_points(from_date, to_date) p
    CROSS JOIN (SELECT DISTINCT geography FROM stepped) k
    LEFT JOIN stepped s ON s.idx = p.idx AND s.geography IS NOT DISTINCT FROM k.geography
    WINDOW w AS (PARTITION BY k.geography ORDER BY p.idx)
)
SELECT month, geography, CAST(n_las AS BIGINT) AS n_las, CAST(n_judged AS BIGINT) AS n_judged,
       CAST(n_failing AS BIGINT) AS n_failing,
       CAST(n_good_or_better AS BIGINT) AS n_good_or_better,
       n_failing / nullif(n_judged, 0) AS share_failing,
       n_good_or_better / nullif(n_judged, 0) AS share_good_or_better,
       CAST(n_adequate AS BIGINT) AS n_adequate,
       CAST(n_no_overall_grade AS BIGINT) AS n_no_overall_grade,
       CAST(n_superseded AS BIGINT) AS n_superseded
FROM filled WHERE n_las > 0
ORDER BY month, geography;
