-- The regions of England the LAs belong to (the National page's "compare a region" choices),
-- without handing over every LA's row.
-- params: none
SELECT DISTINCT region_name FROM local_authorities
WHERE region_name IS NOT NULL
ORDER BY region_name
