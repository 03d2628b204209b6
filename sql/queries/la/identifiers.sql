-- Every LA's identifiers and name spellings, as text ('' where absent): what
-- etl.local_authorities.LaResolver reads to turn a code or a name into a DfE code
-- (`python -m etl export --la`).
-- params: none
SELECT la_code, coalesce(ons_code, '') AS ons_code, name,
       coalesce(region_code, '') AS region_code, coalesce(region_name, '') AS region_name,
       coalesce(la_type, '') AS la_type, coalesce(ofsted_urn, '') AS ofsted_urn,
       coalesce(CAST(valid_from AS VARCHAR), '') AS valid_from,
       coalesce(CAST(valid_to AS VARCHAR), '') AS valid_to,
       coalesce(also_known_as, '') AS also_known_as
FROM local_authorities
ORDER BY la_code
