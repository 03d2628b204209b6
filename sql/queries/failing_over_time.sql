-- Share failing and good or better, monthly, England and regions.
SELECT * FROM failing_over_time($area, $from_date, $to_date, framework := $framework)
