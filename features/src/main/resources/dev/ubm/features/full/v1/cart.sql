-- Cart behaviour: buys and removes per add (all history and last 30 days), the same at sku level (share of added
-- skus that were bought or removed, share of bought skus never added), skus bought twice or more, and open cart
-- skus (the latest add is newer than the latest remove and buy of that sku), all and added in the last 7 days, and
-- the distinct skus of all product events.
SELECT client_id
  , COALESCE(SUM(n_buy) * 1.0 / NULLIF(SUM(n_add), 0), 0) AS buy_per_add
  , COALESCE(SUM(n_rem) * 1.0 / NULLIF(SUM(n_add), 0), 0) AS remove_per_add
  , COALESCE(SUM(n_buy_30d) * 1.0 / NULLIF(SUM(n_add_30d), 0), 0) AS buy_per_add_30d
  , COALESCE(SUM(n_rem_30d) * 1.0 / NULLIF(SUM(n_add_30d), 0), 0) AS remove_per_add_30d
  , COALESCE(SUM(CASE WHEN n_add > 0 AND n_buy > 0 THEN 1 ELSE 0 END) * 1.0 / NULLIF(SUM(CASE WHEN n_add > 0 THEN 1 ELSE 0 END), 0), 0) AS added_sku_bought_share
  , COALESCE(SUM(CASE WHEN n_add > 0 AND n_rem > 0 THEN 1 ELSE 0 END) * 1.0 / NULLIF(SUM(CASE WHEN n_add > 0 THEN 1 ELSE 0 END), 0), 0) AS added_sku_removed_share
  , COALESCE(SUM(CASE WHEN n_buy > 0 AND n_add = 0 THEN 1 ELSE 0 END) * 1.0 / NULLIF(SUM(CASE WHEN n_buy > 0 THEN 1 ELSE 0 END), 0), 0) AS bought_sku_unadded_share
  , SUM(CASE WHEN n_buy >= 2 THEN 1 ELSE 0 END) AS repeat_bought_skus
  , SUM(CASE WHEN n_add > 0 AND add_age < COALESCE(rem_age, 2147483647) AND add_age < COALESCE(buy_age, 2147483647) THEN 1 ELSE 0 END) AS open_cart_skus
  , COUNT(*) AS distinct_sku_any
  , SUM(CASE WHEN n_add > 0 AND add_age <= 7 * 86400 AND add_age < COALESCE(rem_age, 2147483647) AND add_age < COALESCE(buy_age, 2147483647) THEN 1 ELSE 0 END) AS open_cart_skus_7d
FROM (
  SELECT client_id,
         item,
         SUM(CASE WHEN event_type = 0 THEN n ELSE 0 END) AS n_buy,
         SUM(CASE WHEN event_type = 1 THEN n ELSE 0 END) AS n_add,
         SUM(CASE WHEN event_type = 2 THEN n ELSE 0 END) AS n_rem,
         SUM(CASE WHEN event_type = 0 THEN n_30d ELSE 0 END) AS n_buy_30d,
         SUM(CASE WHEN event_type = 1 THEN n_30d ELSE 0 END) AS n_add_30d,
         SUM(CASE WHEN event_type = 2 THEN n_30d ELSE 0 END) AS n_rem_30d,
         MIN(CASE WHEN event_type = 0 THEN last_age_s END) AS buy_age,
         MIN(CASE WHEN event_type = 1 THEN last_age_s END) AS add_age,
         MIN(CASE WHEN event_type = 2 THEN last_age_s END) AS rem_age
  FROM citem
  WHERE event_type IN (0, 1, 2)
  GROUP BY client_id, item
) s
GROUP BY client_id
