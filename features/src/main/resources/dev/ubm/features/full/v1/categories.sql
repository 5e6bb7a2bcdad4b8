-- Categories of product events: distinct categories per product event type and overall, the entropy of the
-- client's product events over categories (nats, ln N - sum(n ln n) / N) and the top category's share.
SELECT client_id
  , SUM(has_{t}) AS distinct_cat_{t}  -- @each t in product_types
  , COUNT(*) AS distinct_cat_any
  , LN(SUM(n)) - SUM(n * LN(n)) / SUM(n) AS cat_entropy
  , MAX(n) * 1.0 / SUM(n) AS cat_top_share
FROM (
  SELECT client_id,
         category,
         SUM(n) AS n,
         MAX(CASE WHEN event_type = 0 THEN 1 ELSE 0 END) AS has_buy,
         MAX(CASE WHEN event_type = 1 THEN 1 ELSE 0 END) AS has_add,
         MAX(CASE WHEN event_type = 2 THEN 1 ELSE 0 END) AS has_remove
  FROM citem
  WHERE event_type IN (0, 1, 2) AND category IS NOT NULL
  GROUP BY client_id, category
) c
GROUP BY client_id
