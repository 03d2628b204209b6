-- Which LA succeeded which (LaResolver names an abolished LA's successors when a name is
-- asked for after its abolition).
-- params: none
SELECT predecessor_la_code, successor_la_code, CAST(change_date AS VARCHAR) AS change_date, kind
FROM la_reorganisations
ORDER BY change_date, predecessor_la_code
