-- Provider types and groups for the page pickers, in Ofsted's order.
-- params: none
SELECT provider_type, label, is_childrens_home, sort_order FROM provider_types
UNION ALL SELECT 'all_childrens_homes', 'All children''s homes', true, 99
UNION ALL SELECT 'all', 'All providers', false, 100
ORDER BY sort_order
