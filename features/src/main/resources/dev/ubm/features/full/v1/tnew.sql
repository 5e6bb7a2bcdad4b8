-- Interest in the category of each target new sku (target/propensity_new_sku.npy). A new sku has no event before
-- the cutoff, so its category (from product_properties) is what ties a client to it: product events (buy, add,
-- remove) in that category, weighted exp(-age / ${decay_days} days); the total over the list and how many of its skus
-- the client's categories cover. Columns go by list position (tnew_0 ...), not by sku id, so the as-of windows of
-- the DCN, whose new-sku lists are proxies of other skus, line up with the shipped list. A listed sku without a
-- category gets 0.
SELECT client_id
  , SUM(CASE WHEN idx = {n} THEN w ELSE 0 END) AS tnew_{n}  -- @each n in tnew
  , SUM(w) AS tnew_total
  , COUNT(*) AS tnew_distinct
FROM (
  SELECT c.client_id, t.idx, c.w
  FROM (
    SELECT client_id, category, SUM(EXP(-age_s / (86400.0 * ${decay_days}))) AS w
    FROM ev
    WHERE event_type IN (0, 1, 2) AND category IN (SELECT category FROM target_new_sku)
    GROUP BY client_id, category
  ) c
  JOIN target_new_sku t ON t.category = c.category
) s
GROUP BY client_id
