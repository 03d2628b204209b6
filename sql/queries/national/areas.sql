-- Judgement areas for the page pickers, in the model's order (National picture page): the
-- four-point ones (the area SEND outcome has figures of its own, sql/queries/local_area/).
-- params: none
SELECT area, label, frameworks FROM areas WHERE scale = 'four_point' ORDER BY sort_order
