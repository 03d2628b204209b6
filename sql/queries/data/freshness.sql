-- How fresh the data are: the newest report publication of an inspection of LA children's
-- services, and when the database was built (every page's and export's "Reports to ...; built
-- ..." line).
-- params: none
SELECT (SELECT max(i.published_date) FROM inspections i
        JOIN frameworks f ON f.framework = i.framework
        WHERE f.regime = 'childrens_services') AS latest_report,
       (SELECT max(finished_at) FROM ingest_runs) AS built
