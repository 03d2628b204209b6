-- Judgement areas for the page pickers, in the model's order (National picture page).
-- params: none
SELECT area, label, frameworks FROM areas ORDER BY sort_order
