-- Published figures of a release that departs from its own stated basis (Ofsted's 2023 release
-- counts South Tyneside, whose report came out after its cut-off), each beside the figure
-- computed on the stated basis and on the release's own (Data and sources page): kept at build
-- (sql/09_reconciliation.sql).
-- params: none
SELECT figure_id, area, grade, as_at, published_by, published, computed_stated_basis,
       computed_release_basis, departure_las, departure, source
FROM release_departures
ORDER BY figure_id
