-- The newest report publication date in the collection (how fresh the data are).
-- params: none
SELECT max(published_date) AS latest_published, max(end_date) AS latest_ended FROM inspections
