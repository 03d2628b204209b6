-- title: Area SEND outcomes as at a date, and the share of LAs inspected so far
-- the 2023 framework's three outcomes, on their own scale (never four-point grades)
SELECT geography, outcome_label, n, share, n_with_outcome, n_las, share_inspected
FROM area_send_distribution(current_date)
ORDER BY geography <> 'England', geography, outcome_rank
