-- citem: per client, event type and item (sku or url; search events have none): how often, how recently
-- (last_age_s = seconds since the latest such event), and in the last 30 days.
SELECT client_id,
       event_type,
       item,
       MIN(category) AS category,
       COUNT(*) AS n,
       SUM(CASE WHEN age_s <= 30 * 86400 THEN 1 ELSE 0 END) AS n_30d,
       MIN(age_s) AS last_age_s
FROM ev
WHERE item IS NOT NULL
GROUP BY client_id, event_type, item
