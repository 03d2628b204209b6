-- la/local_authorities
-- params: none
SELECT la_code, name, region_name, la_type, ofsted_urn, ons_code, valid_from, valid_to
FROM local_authorities ORDER BY name
