-- Breadth of interest: distinct skus and categories per product event type and over all product events, distinct
-- urls (all history, last 30 days) and page visits per distinct url.
SELECT client_id
  , SUM(CASE WHEN {t.cond} THEN 1 ELSE 0 END) AS distinct_sku_{t}  -- @each t in product_types
  , COUNT(DISTINCT CASE WHEN {t.cond} THEN category END) AS distinct_cat_{t}  -- @each t in product_types
  , COUNT(DISTINCT CASE WHEN event_type IN (0, 1, 2) THEN item END) AS distinct_sku_any
  , COUNT(DISTINCT CASE WHEN event_type IN (0, 1, 2) THEN category END) AS distinct_cat_any
  , SUM(CASE WHEN event_type = 3 THEN 1 ELSE 0 END) AS distinct_url
  , SUM(CASE WHEN event_type = 3 AND last_age_s <= 30 * 86400 THEN 1 ELSE 0 END) AS distinct_url_30d
  , COALESCE(SUM(CASE WHEN event_type = 3 THEN n ELSE 0 END) * 1.0 / NULLIF(SUM(CASE WHEN event_type = 3 THEN 1 ELSE 0 END), 0), 0) AS visits_per_url
FROM citem
GROUP BY client_id
