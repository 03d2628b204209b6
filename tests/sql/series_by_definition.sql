-- The monthly series by their definition: every LA ranked at every month end by
-- judgements_as_at_series, then counted. sql/05_macros.sql counts the same from
-- judgement_intervals with change events (issue 14: the definition's cost grows with
-- months x judgements); tests/test_scale_equivalence.py loads these over a copy of the built
-- database and asserts that every named query answers the same.

-- Monthly grade distribution (national and by region): the trend charts. share is of LAs with a
-- current grade (the no-overall-grade category has its count and a NULL share).
CREATE OR REPLACE MACRO grade_distribution_over_time(area, from_date, to_date, framework := NULL,
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
CREATE OR REPLACE MACRO failing_over_time(area, from_date, to_date, framework := NULL,
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


-- One date: every LA ranked at the date by judgements_as_at_series (sql/05b_series.sql reads the
-- judgement intervals covering the date instead).
CREATE OR REPLACE MACRO judgements_as_at(as_at, area, framework := NULL, published_by := NULL,
                                         which := 'latest', include_secondary := true,
                                         superseded := 'not_current',
                                         wording := 'at_the_time') AS TABLE
SELECT * EXCLUDE (series_date)
FROM judgements_as_at_series(area, as_at, as_at, framework := framework,
                             published_by := published_by, which := which,
                             include_secondary := include_secondary, superseded := superseded,
                             wording := wording);
