-- bl_ev (a view): the relevant clients' buy, add, remove and visit events, product events joined with their
-- category and price, as the organisers' baseline loads them (load_with_properties, then the relevant-client filter).
SELECT e.client_id, e.event_type, e.timestamp, e.sku, p.category, p.price, e.url
FROM events e
LEFT JOIN (SELECT sku, MIN(category) AS category, MIN(price) AS price FROM product_properties GROUP BY sku) p
  ON e.sku = p.sku
WHERE e.event_type <> 4 AND e.client_id IN (SELECT client_id FROM relevant_clients)
