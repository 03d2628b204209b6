-- Per theme and grade band, over the reports of a briefing (the inspections published in the
-- window, as briefing_reports, whose text the collection holds): reports, reports mentioning
-- the theme at least min_per_10k times per 10,000 words, mean mentions per 10,000 words, and
-- improvement points carrying it. Bands: good_or_better (good, outstanding) and failing
-- (requires improvement, inadequate); the worst judgement where a report gives no overall one.
-- param framework VARCHAR NULL: SIF, ILACS, LAC2013 or NULL for any children's services framework
-- param from_date DATE: reports published on or after this date
-- param to_date DATE: reports published on or before this date
-- param las VARCHAR NULL: comma-separated DfE codes of the LAs to keep (NULL: every LA)
-- param min_rate DOUBLE: mentions per 10,000 words for a report to count as mentioning a theme
WITH reps AS (
    SELECT r.* FROM report_text_reports r
    WHERE r.grade_band IS NOT NULL
      AND r.inspection_id IN (
          SELECT inspection_id FROM published_between('overall_effectiveness', $from_date,
                                                      $to_date, framework := $framework))
      AND ($las IS NULL OR list_contains(string_split($las, ','), r.la_code))
),
report_counts AS (
    SELECT th.theme_id, reps.grade_band, count(*) AS n_reports,
           count(*) FILTER (WHERE rt.per_10k_words >= $min_rate) AS n_reports_mentioning,
           avg(coalesce(rt.per_10k_words, 0)) AS mean_per_10k_words
    FROM reps CROSS JOIN themes th
    LEFT JOIN report_themes rt ON rt.source_id = reps.source_id AND rt.theme_id = th.theme_id
    GROUP BY ALL
),
point_counts AS (
    SELECT th.theme_id, reps.grade_band, count(*) AS n_points,
           count(pt.seq) AS n_points_tagged,
           count(DISTINCT CASE WHEN pt.seq IS NOT NULL THEN reps.source_id END)
               AS n_reports_with_points
    FROM reps JOIN improvement_points p USING (source_id) CROSS JOIN themes th
    LEFT JOIN improvement_point_themes pt
           ON pt.source_id = p.source_id AND pt.seq = p.seq AND pt.theme_id = th.theme_id
    GROUP BY ALL
)
SELECT th.theme_id, th.label, th.description, r.grade_band, r.n_reports, r.n_reports_mentioning,
       round(r.mean_per_10k_words, 2) AS mean_per_10k_words,
       coalesce(p.n_points, 0) AS n_points, coalesce(p.n_points_tagged, 0) AS n_points_tagged,
       coalesce(p.n_reports_with_points, 0) AS n_reports_with_points
FROM report_counts r JOIN themes th USING (theme_id)
LEFT JOIN point_counts p USING (theme_id, grade_band)
ORDER BY th.theme_id, r.grade_band
