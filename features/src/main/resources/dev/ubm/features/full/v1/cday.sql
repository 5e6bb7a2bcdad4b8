-- cday: one row per client and active day (0 = the last day before the cutoff) with its events per type. Windows
-- are whole days (an event is within w days of the cutoff exactly when day < w), so every windowed count can be
-- summed from here instead of from the events.
SELECT client_id,
       day,
       SUM(CASE WHEN event_type = 0 THEN 1 ELSE 0 END) AS n_buy,
       SUM(CASE WHEN event_type = 1 THEN 1 ELSE 0 END) AS n_add,
       SUM(CASE WHEN event_type = 2 THEN 1 ELSE 0 END) AS n_remove,
       SUM(CASE WHEN event_type = 3 THEN 1 ELSE 0 END) AS n_visit,
       SUM(CASE WHEN event_type = 4 THEN 1 ELSE 0 END) AS n_search,
       COUNT(*) AS n_any
FROM ev
GROUP BY client_id, day
