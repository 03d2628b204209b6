-- title: Where sources disagree
SELECT la_name, framework, published_date, area, chosen_grade, observations
FROM conflicts ORDER BY published_date DESC
