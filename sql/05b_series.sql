-- Build step 5b: the monthly series. They count the judgement intervals (judgement_winners, as
-- the change events judgement_count_deltas counts at build; sql/05_macros.sql) with running
-- sums, instead of ranking every LA's judgements again at every month end.

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

-- The grade events of a monthly series: per geography (England and each region), grade (in the
-- wording asked for), whether the grade is a superseded one carried forward, and series point,
-- the net number of LAs whose judgement starts (+) or stops (-) holding from that point on.
-- With secondary evidence counted they are the change events counted at build
-- (judgement_count_deltas, the same intervals clipped to each LA's existence) placed on the
-- points, a few rows per region, grade and day something changed whatever the number of LAs;
-- left out, they come from the intervals computed (covered_intervals).
CREATE MACRO series_grade_steps(area, from_date, to_date, framework := NULL,
                                include_secondary := true, superseded := 'not_current',
                                wording := 'at_the_time') AS TABLE
WITH kept AS (
    SELECT c.region_name,
           CASE WHEN wording = 'current' THEN coalesce(g.current_wording, c.grade)
                WHEN wording = 'at_the_time' THEN c.grade
                ELSE error('wording must be ''at_the_time'' or ''current''') END AS grade,
           c.is_superseded, p.idx, c.delta
    FROM judgement_count_deltas c
    -- each event on the first point on or after its day (none after the last point)
    ASOF JOIN series_points(from_date, to_date) p ON c.d <= p.d
    LEFT JOIN grades g ON g.grade = c.grade
    WHERE include_secondary
      AND c.area = area AND c.variant_framework = coalesce(framework, 'any')
      AND c.which = 'latest'
      AND c.superseded = CASE WHEN superseded IN ('not_current', 'carry_forward') THEN superseded
                              ELSE error('superseded must be ''not_current'' or '
                                         || '''carry_forward''') END
),
computed AS (
    SELECT iv.region_name, iv.grade, iv.is_superseded, e.idx, e.sign AS delta
    FROM covered_intervals(area, from_date, to_date, framework := framework,
                           include_secondary := include_secondary, superseded := superseded,
                           wording := wording) iv
    CROSS JOIN LATERAL (VALUES (iv.first_idx, 1), (iv.last_idx + 1, -1)) e(idx, sign)
    WHERE NOT include_secondary
),
steps AS (SELECT * FROM kept UNION ALL SELECT * FROM computed)
SELECT geo.geography, s.grade, s.is_superseded, s.idx, sum(s.delta) AS n
FROM steps s
CROSS JOIN LATERAL (VALUES ('England'), (s.region_name)) geo(geography)
GROUP BY ALL;

-- The LAs existing, per geography and series point, as change events (la_count_deltas placed
-- on the points): the denominators.
CREATE MACRO series_la_steps(from_date, to_date) AS TABLE
SELECT geo.geography, p.idx, sum(c.delta) AS n
FROM la_count_deltas c
ASOF JOIN series_points(from_date, to_date) p ON c.d <= p.d
CROSS JOIN LATERAL (VALUES ('England'), (c.region_name)) geo(geography)
GROUP BY ALL;

-- Monthly grade distribution (national and by region): the trend charts. share is of LAs with a
-- current grade (the no-overall-grade category has its count and a NULL share). Running sums of
-- the grade events (series_grade_steps), as failing_over_time.
CREATE MACRO grade_distribution_over_time(area, from_date, to_date, framework := NULL,
                                          include_secondary := true,
                                          superseded := 'not_current',
                                          wording := 'at_the_time') AS TABLE
WITH stepped AS (
    SELECT geography, grade, idx, sum(n) AS n
    FROM series_grade_steps(area, from_date, to_date, framework := framework,
                            include_secondary := include_secondary, superseded := superseded,
                            wording := wording)
    GROUP BY geography, grade, idx
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
-- Running sums over the month ends of the grade events (series_grade_steps) and of the LAs
-- existing (series_la_steps).
CREATE MACRO failing_over_time(area, from_date, to_date, framework := NULL,
                               include_secondary := true, superseded := 'not_current',
                               wording := 'at_the_time') AS TABLE
WITH steps AS (
    SELECT s.*, g.is_failing, g.is_good_or_better
    FROM series_grade_steps(area, from_date, to_date, framework := framework,
                            include_secondary := include_secondary, superseded := superseded,
                            wording := wording) s
    LEFT JOIN grades g ON g.grade = s.grade
),
events AS (
    SELECT s.geography, s.idx,
           s.n * (s.grade <> 'no_overall_grade')::INT AS judged,
           s.n * coalesce(s.is_failing, false)::INT AS failing,
           s.n * coalesce(s.is_good_or_better, false)::INT AS good,
           s.n * (s.grade = 'adequate')::INT AS adequate,
           s.n * (s.grade = 'no_overall_grade')::INT AS no_overall,
           s.n * s.is_superseded::INT AS superseded_n,
           0 AS las
    FROM steps s
    UNION ALL
    SELECT l.geography, l.idx, 0, 0, 0, 0, 0, 0, l.n
    FROM series_la_steps(from_date, to_date) l
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
