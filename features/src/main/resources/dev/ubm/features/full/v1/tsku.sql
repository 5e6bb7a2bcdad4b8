-- Time-decayed interest in each target sku (target/propensity_sku.npy): product events (buy, add, remove)
-- weighted exp(-age / ${decay_days} days); the decayed total and how many target skus the client touched.
SELECT client_id
  , SUM(CASE WHEN item = {s.id} THEN EXP(-age_s / (86400.0 * ${decay_days})) ELSE 0 END) AS tsku_{s.id}  -- @each s in tsku
  , SUM(EXP(-age_s / (86400.0 * ${decay_days}))) AS tsku_total
  , COUNT(DISTINCT item) AS tsku_distinct
FROM ev
WHERE event_type IN (0, 1, 2) AND item IN (SELECT sku FROM target_sku)
GROUP BY client_id
