-- An LA's statistical neighbours in every vintage ('current' and 'previous' from the lookup,
-- '2021' and '2025' from DfE's files), with names and the model's closeness band where it gives
-- one (LA profile and Statistical neighbours pages).
-- param la_code VARCHAR: DfE 3-digit LA code
SELECT s.vintage, s.rank, s.neighbour_la_code AS la_code, l.name AS la_name, l.region_name,
       l.valid_to, s.closeness
FROM statistical_neighbours s LEFT JOIN local_authorities l ON l.la_code = s.neighbour_la_code
WHERE s.la_code = $la_code
ORDER BY s.vintage, s.rank
