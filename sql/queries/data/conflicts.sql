-- Judgements where sources disagree (Data and sources page, `reconcile`).
-- params: none
SELECT * FROM conflicts ORDER BY published_date, la_name, area
