-- Monthly grade distribution, England and regions.
SELECT * FROM grade_distribution_over_time($area, $from_date, $to_date, framework := $framework)
