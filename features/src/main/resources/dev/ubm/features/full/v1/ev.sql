-- ev: one row per event of a client in feature_clients (the relevant clients, or one chunk of them), with item
-- properties and times relative to the cutoff ${cutoff} (the midnight after the last input event).
-- age_s = seconds before the cutoff (>= 1), day = calendar days before it (0 = the last day), gap_s = seconds
-- since the client's previous event (NULL for the first). Every group counts an event in a window of w days when
-- age_s <= w * 86400, i.e. timestamp >= cutoff - w days (days 0 .. w-1), as the organisers' baseline does.
-- DuckDB dialect: date_diff, hour, isodow. Spark SQL: unix_timestamp(TIMESTAMP '${cutoff}') -
-- unix_timestamp(timestamp), hour(timestamp), (dayofweek(timestamp) + 5) % 7 for dow (0 = Monday).
SELECT client_id,
       event_type,
       age_s,
       CAST(CEIL(age_s / 86400.0) AS INTEGER) - 1 AS day,
       hour,
       dow,
       item,
       category,
       price,
       LAG(age_s) OVER (PARTITION BY client_id ORDER BY age_s DESC) - age_s AS gap_s
FROM (
  SELECT e.client_id,
         CAST(e.event_type AS INTEGER) AS event_type,
         CAST(date_diff('second', e.timestamp, TIMESTAMP '${cutoff}') AS INTEGER) AS age_s,
         CAST(hour(e.timestamp) AS INTEGER) AS hour,
         CAST(isodow(e.timestamp) - 1 AS INTEGER) AS dow,
         COALESCE(e.sku, e.url) AS item,
         p.category,
         CAST(p.price AS INTEGER) AS price
  FROM events e
  LEFT JOIN (SELECT sku, MIN(category) AS category, MIN(price) AS price
             FROM product_properties GROUP BY sku) p
    ON e.sku = p.sku
  WHERE e.client_id IN (SELECT client_id FROM feature_clients)
) x
