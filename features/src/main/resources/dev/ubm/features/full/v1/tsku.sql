-- Time-decayed interest in each target sku (target/propensity_sku.npy): product events (buy, add, remove)
-- weighted exp(-age / ${decay_days} days); the decayed total and how many target skus the client touched. Summed per
-- (client, sku) first, then pivoted.
SELECT client_id
  , SUM(CASE WHEN item = {s.id} THEN w ELSE 0 END) AS tsku_{s.id}  -- @each s in tsku
  , SUM(w) AS tsku_total
  , COUNT(*) AS tsku_distinct
FROM (
  SELECT client_id, item, SUM(EXP(-age_s / (86400.0 * ${decay_days}))) AS w
  FROM ev
  WHERE event_type IN (0, 1, 2) AND item IN (SELECT sku FROM target_sku)
  GROUP BY client_id, item
) s
GROUP BY client_id
