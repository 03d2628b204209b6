-- The SQL workbench's schema browser: tables and views with their comments and columns.
-- params: none
WITH objects AS (
    SELECT table_name AS name, 'table' AS kind, comment, estimated_size AS n_rows
    FROM duckdb_tables() WHERE schema_name = 'main' AND NOT internal
    UNION ALL
    SELECT view_name, 'view', comment, NULL
    FROM duckdb_views() WHERE schema_name = 'main' AND NOT internal
)
SELECT o.kind, o.name, o.comment AS description, o.n_rows, c.column_name, c.data_type,
       c.comment AS column_description, c.column_index
FROM objects o
JOIN duckdb_columns() c ON c.table_name = o.name AND c.schema_name = 'main'
ORDER BY o.kind, o.name, c.column_index
