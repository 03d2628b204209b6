-- An LA's predecessors and successors (LA profile page), in both directions.
-- param la_code VARCHAR: DfE 3-digit LA code
SELECT 'predecessor' AS relation, r.predecessor_la_code AS other_la_code, l.name AS other_name,
       r.change_date, r.kind, r.notes
FROM la_reorganisations r LEFT JOIN local_authorities l ON l.la_code = r.predecessor_la_code
WHERE r.successor_la_code = $la_code AND r.predecessor_la_code <> $la_code
UNION ALL
SELECT 'successor', r.successor_la_code, l.name, r.change_date, r.kind, r.notes
FROM la_reorganisations r LEFT JOIN local_authorities l ON l.la_code = r.successor_la_code
WHERE r.predecessor_la_code = $la_code AND r.successor_la_code <> $la_code
UNION ALL
SELECT 'same authority', r.successor_la_code, l.name, r.change_date, r.kind, r.notes
FROM la_reorganisations r LEFT JOIN local_authorities l ON l.la_code = r.successor_la_code
WHERE r.predecessor_la_code = $la_code AND r.successor_la_code = $la_code
ORDER BY change_date, relation, other_name
