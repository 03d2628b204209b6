-- The statistical-neighbour vintage in force on a date (the Neighbours page's default set), with
-- how its date is known and the lookup's set that holds the same neighbours.
-- param as_at DATE: the date the comparison is 'as at'
SELECT * FROM neighbour_vintage_on($as_at)
