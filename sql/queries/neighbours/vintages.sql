-- The statistical-neighbour vintages: DfE's 2021 and 2025 models (dated) and the lookup's
-- 'current' and 'previous' sets (undated; same_as names the model they match), for saying which
-- set a comparison uses (Statistical neighbours page, `export neighbours`).
-- params: none
SELECT vintage, label, in_force_from, dating, same_as, notes
FROM neighbour_vintages
ORDER BY in_force_from NULLS LAST, vintage
