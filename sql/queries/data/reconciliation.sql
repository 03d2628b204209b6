-- Each figure published in papers and official statistics beside the same figure computed from
-- the collection, whether they match and why they differ (Data and sources page): kept at build
-- (sql/09_reconciliation.sql), as `python -m etl reconcile` computes it, in figure order.
-- params: none
SELECT figure_id, description, published, computed, unit, matches, explanation, source
FROM reconciliation
ORDER BY figure_id
