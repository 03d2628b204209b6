-- An LA's statistical neighbours in both vintages, with names (LA profile page).
-- param la_code VARCHAR: DfE 3-digit LA code
SELECT s.vintage, s.rank, s.neighbour_la_code AS la_code, l.name AS la_name, l.region_name,
       l.valid_to
FROM statistical_neighbours s LEFT JOIN local_authorities l ON l.la_code = s.neighbour_la_code
WHERE s.la_code = $la_code
ORDER BY s.vintage, s.rank
