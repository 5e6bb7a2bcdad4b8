-- Concentration of product events over categories: entropy (nats) and the most frequent category's share.
SELECT client_id
  , -SUM(p * LN(p)) AS cat_entropy
  , MAX(p) AS cat_top_share
FROM (
  SELECT client_id, category, n * 1.0 / SUM(n) OVER (PARTITION BY client_id) AS p
  FROM (SELECT client_id, category, SUM(n) AS n
        FROM citem
        WHERE event_type IN (0, 1, 2) AND category IS NOT NULL
        GROUP BY client_id, category) c
) x
GROUP BY client_id
