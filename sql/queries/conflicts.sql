SELECT * FROM conflicts ORDER BY published_date, la_name, area
