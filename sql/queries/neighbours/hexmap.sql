-- Hex cartogram cells (la_code, name, q, r) and their HexJSON layout.
-- params: none
SELECT la_code, name, q, r, layout FROM hexmap ORDER BY la_code
