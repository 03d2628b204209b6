-- Per LA: what the collection holds (Data and sources page).
-- params: none
SELECT * FROM coverage ORDER BY la_name
