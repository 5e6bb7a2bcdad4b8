-- bl_chunk: the events of this chunk's clients (feature_clients), one row per (event, column) so that one equi-join
-- with bl_top finds the top values.
SELECT client_id, event_type, timestamp, 0 AS col_idx, sku AS v FROM bl_ev WHERE event_type IN (0, 1, 2) AND client_id IN (SELECT client_id FROM feature_clients)
UNION ALL
SELECT client_id, event_type, timestamp, 1 AS col_idx, category AS v FROM bl_ev WHERE event_type IN (0, 1, 2) AND client_id IN (SELECT client_id FROM feature_clients)
UNION ALL
SELECT client_id, event_type, timestamp, 2 AS col_idx, price AS v FROM bl_ev WHERE event_type IN (0, 1, 2) AND client_id IN (SELECT client_id FROM feature_clients)
UNION ALL
SELECT client_id, event_type, timestamp, 0 AS col_idx, url AS v FROM bl_ev WHERE event_type = 3 AND client_id IN (SELECT client_id FROM feature_clients)
