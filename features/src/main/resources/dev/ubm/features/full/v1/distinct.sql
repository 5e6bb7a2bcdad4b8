-- Breadth of interest: distinct skus per product event type, distinct urls (all history, last 30 days) and page
-- visits per distinct url (citem has one row per client, type and item, so no DISTINCT is needed).
SELECT client_id
  , SUM(CASE WHEN {t.cond} THEN 1 ELSE 0 END) AS distinct_sku_{t}  -- @each t in product_types
  , SUM(CASE WHEN event_type = 3 THEN 1 ELSE 0 END) AS distinct_url
  , SUM(CASE WHEN event_type = 3 AND last_age_s <= 30 * 86400 THEN 1 ELSE 0 END) AS distinct_url_30d
  , COALESCE(SUM(CASE WHEN event_type = 3 THEN n ELSE 0 END) * 1.0 / NULLIF(SUM(CASE WHEN event_type = 3 THEN 1 ELSE 0 END), 0), 0) AS visits_per_url
FROM citem
GROUP BY client_id
