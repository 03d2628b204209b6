-- Report sections ranked by BM25 for a search (Reports and themes page; search_reports in
-- sql/08_text.sql): the snippet's matched words are marked «like this».
-- param query VARCHAR: words and "quoted phrases"
-- param framework VARCHAR NULL: SIF, ILACS, LAC2013 or NULL for any framework
-- param grade VARCHAR NULL: a grade or band (good_or_better, failing) of overall effectiveness, NULL for any
-- param la VARCHAR NULL: DfE code or name of one LA, NULL for all
-- param region VARCHAR NULL: region name, NULL for England
-- param from_date DATE NULL: reports published on or after this date
-- param to_date DATE NULL: reports published on or before this date
-- param max_results INTEGER: how many sections at most
SELECT * FROM search_reports($query, framework := $framework, grade := $grade, la := $la,
                             region := $region, from_date := $from_date, to_date := $to_date,
                             max_results := $max_results)
