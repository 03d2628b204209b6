-- cycle/ilacs_next_due for one LA (its profile's "next ILACS inspection"), not every LA's.
-- param as_at DATE: the date the figure is 'as at'
-- param la_code VARCHAR: DfE 3-digit LA code
SELECT * FROM ilacs_next_due($as_at) WHERE la_code = $la_code
