-- Time-decayed interest in each target category (target/propensity_category.npy): product events (buy, add,
-- remove) weighted exp(-age / ${decay_days} days), buys alone weighted exp(-age / ${buy_decay_days} days); the decayed
-- total over all target categories and how many of them the client touched. Summed per (client, category) first,
-- then pivoted, so the 2 x 100 CASE columns run over the small grouped rows rather than over every event.
SELECT client_id
  , SUM(CASE WHEN category = {c.id} THEN w ELSE 0 END) AS tcat_{c.id}  -- @each c in tcat
  , SUM(CASE WHEN category = {c.id} THEN wbuy ELSE 0 END) AS tcatbuy_{c.id}  -- @each c in tcat
  , SUM(w) AS tcat_total
  , COUNT(*) AS tcat_distinct
FROM (
  SELECT client_id,
         category,
         SUM(EXP(-age_s / (86400.0 * ${decay_days}))) AS w,
         SUM(CASE WHEN event_type = 0 THEN EXP(-age_s / (86400.0 * ${buy_decay_days})) ELSE 0 END) AS wbuy
  FROM ev
  WHERE event_type IN (0, 1, 2) AND category IN (SELECT category FROM target_category)
  GROUP BY client_id, category
) c
GROUP BY client_id
