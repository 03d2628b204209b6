-- Provenance summary: per kind of source, how many files, records, judgements and rejected rows,
-- under which licence and parser (Data and sources page).
-- params: none
SELECT s.kind,
       min(s.precedence) AS precedence,
       count(*) AS sources,
       CAST(sum(c.records) AS BIGINT) AS records,
       CAST(sum(c.judgements) AS BIGINT) AS judgements,
       CAST(sum(c.quarantined) AS BIGINT) AS quarantined,
       string_agg(DISTINCT s.publisher, '; ' ORDER BY s.publisher) AS publishers,
       string_agg(DISTINCT s.licence, '; ' ORDER BY s.licence) AS licences,
       string_agg(DISTINCT s.parser || coalesce(' ' || s.parser_version, ''), '; '
                  ORDER BY s.parser || coalesce(' ' || s.parser_version, '')) AS parsers
FROM sources s
JOIN source_counts c USING (source_id)
GROUP BY s.kind
ORDER BY precedence, s.kind
