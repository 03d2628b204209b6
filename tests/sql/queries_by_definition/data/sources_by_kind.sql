-- Provenance summary: per kind of source, how many files, records, judgements and rejected rows,
-- under which licence and parser (Data and sources page).
-- params: none
WITH rec AS (
    SELECT source_id, count(*) AS records FROM inspection_records GROUP BY source_id
),
jud AS (
    SELECT r.source_id, count(*) AS judgements
    FROM judgement_records j JOIN inspection_records r USING (record_id)
    GROUP BY r.source_id
),
quar AS (
    SELECT source_id, count(*) AS quarantined FROM quarantine GROUP BY source_id
)
SELECT s.kind,
       min(s.precedence) AS precedence,
       count(*) AS sources,
       CAST(coalesce(sum(rec.records), 0) AS BIGINT) AS records,
       CAST(coalesce(sum(jud.judgements), 0) AS BIGINT) AS judgements,
       CAST(coalesce(sum(quar.quarantined), 0) AS BIGINT) AS quarantined,
       string_agg(DISTINCT s.publisher, '; ' ORDER BY s.publisher) AS publishers,
       string_agg(DISTINCT s.licence, '; ' ORDER BY s.licence) AS licences,
       string_agg(DISTINCT s.parser || coalesce(' ' || s.parser_version, ''), '; '
                  ORDER BY s.parser || coalesce(' ' || s.parser_version, '')) AS parsers
FROM sources s
LEFT JOIN rec USING (source_id)
LEFT JOIN jud USING (source_id)
LEFT JOIN quar USING (source_id)
GROUP BY s.kind
ORDER BY precedence, s.kind
