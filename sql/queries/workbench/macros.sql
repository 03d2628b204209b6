-- Table macros stored in the database (the SQL workbench lists them with their parameters).
-- params: none
SELECT function_name AS name, parameters, description
FROM duckdb_functions()
WHERE function_type = 'table_macro' AND NOT internal AND schema_name = 'main'
ORDER BY function_name
