-- Every framework since 2009 (frameworks) with what the collection holds for it: inspections
-- and visits, LAs inspected, judgements and judgements where sources disagree, the first and
-- last report (Data and sources page). Counted at build (framework_counts, sql/04_views.sql).
-- params: none
SELECT f.framework, f.label, f.regime, f.scale, f.overall_basis, f.period_from, f.period_to,
       f.no_overall_from, coalesce(c.inspections, 0) AS inspections,
       coalesce(c.visits_and_reviews, 0) AS visits_and_reviews,
       coalesce(c.las_inspected, 0) AS las_inspected, coalesce(c.judgements, 0) AS judgements,
       coalesce(c.judgements_in_conflict, 0) AS judgements_in_conflict,
       c.first_report, c.last_report
FROM frameworks f
LEFT JOIN framework_counts c USING (framework)
ORDER BY f.sort_order
