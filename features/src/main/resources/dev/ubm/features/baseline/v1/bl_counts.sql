-- The baseline's statistics in long form (client_id, slot, value), slots laid out as the organisers' vector:
-- per type block at offset off: [total events, then for each window (outer) and column, the top values' counts].
-- Totals come from the sku rows (col_idx 0), one per event.
SELECT client_id, slot, COUNT(*) AS n
FROM (
  SELECT c.client_id, l.off AS slot
  FROM bl_chunk c JOIN bl_layout l ON c.event_type = l.event_type
  WHERE c.col_idx = 0
  UNION ALL
  SELECT c.client_id, l.off + 1 + s.widx * l.ncols * ${top_n} + c.col_idx * ${top_n} + t.rnk AS slot
  FROM bl_chunk c
  JOIN bl_top t ON c.event_type = t.event_type AND c.col_idx = t.col_idx AND c.v = t.v
  JOIN bl_layout l ON c.event_type = l.event_type
  JOIN bl_start s ON c.event_type = s.event_type AND c.timestamp >= s.start_ts
) x
GROUP BY client_id, slot
ORDER BY client_id, slot
