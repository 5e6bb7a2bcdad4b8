-- Price buckets (0..99) of bought, added and removed items: mean, spread, min, max; the shares of bought and added
-- items in each price quintile; mean price bought and added in the last 30 days. 0 where there is no such item.
SELECT client_id
  , COALESCE(AVG(CASE WHEN {t.cond} THEN price END), 0) AS price_{t}_mean  -- @each t in product_types
  , COALESCE(STDDEV_POP(CASE WHEN {t.cond} THEN price END), 0) AS price_{t}_std  -- @each t in product_types
  , COALESCE(MIN(CASE WHEN {t.cond} THEN price END), 0) AS price_{t}_min  -- @each t in product_types
  , COALESCE(MAX(CASE WHEN {t.cond} THEN price END), 0) AS price_{t}_max  -- @each t in product_types
  , COALESCE(SUM(CASE WHEN {t.cond} AND price >= {b.lo} AND price <= {b.hi} THEN 1 ELSE 0 END) * 1.0 / NULLIF(SUM(CASE WHEN {t.cond} AND price IS NOT NULL THEN 1 ELSE 0 END), 0), 0) AS price_{t}_q{b}  -- @each t in buy_add, b in price_bins
  , COALESCE(AVG(CASE WHEN {t.cond} AND age_s <= 30 * 86400 THEN price END), 0) AS price_{t}_mean_30d  -- @each t in buy_add
FROM ev
WHERE event_type IN (0, 1, 2)
GROUP BY client_id
