-- One LA's name and region (a chart's title and notes): its row of la/local_authorities, read
-- alone rather than every LA's (at 1000 times today's LAs that list is 150,000 rows).
-- param la_code VARCHAR: DfE 3-digit LA code
SELECT la_code, name, region_name, la_type, ofsted_urn, ons_code, valid_from, valid_to
FROM local_authorities
WHERE la_code = $la_code
