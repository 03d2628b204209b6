SELECT * FROM coverage ORDER BY la_name
