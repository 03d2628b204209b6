"""Stage 2: the shipped snapshot into DuckDB (build), and every way of reading it: the one
read-only connection (db), strict named queries (queries), locked-down ad-hoc SQL (safe_sql) and
published figures beside computed ones (reconcile)."""
