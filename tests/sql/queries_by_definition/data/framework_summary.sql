-- Every framework since 2009 (frameworks) with what the collection holds for it: inspections
-- and visits, LAs inspected, judgements and judgements where sources disagree, the first and
-- last report (Data and sources page).
-- params: none
WITH i AS (
    SELECT framework,
           count(*) FILTER (WHERE is_inspection) AS inspections,
           count(*) FILTER (WHERE NOT is_inspection) AS visits_and_reviews,
           count(DISTINCT la_code) FILTER (WHERE is_inspection) AS las_inspected,
           min(published_date) AS first_report, max(published_date) AS last_report
    FROM inspections GROUP BY framework
),
j AS (
    SELECT ins.framework, count(*) AS judgements,
           count(*) FILTER (WHERE j.has_conflict) AS judgements_in_conflict
    FROM judgements j JOIN inspections ins USING (inspection_id)
    GROUP BY ins.framework
)
SELECT f.framework, f.label, f.regime, f.scale, f.overall_basis, f.period_from, f.period_to,
       f.no_overall_from, coalesce(i.inspections, 0) AS inspections,
       coalesce(i.visits_and_reviews, 0) AS visits_and_reviews,
       coalesce(i.las_inspected, 0) AS las_inspected, coalesce(j.judgements, 0) AS judgements,
       coalesce(j.judgements_in_conflict, 0) AS judgements_in_conflict,
       i.first_report, i.last_report
FROM frameworks f
LEFT JOIN i USING (framework)
LEFT JOIN j USING (framework)
ORDER BY f.sort_order
