-- bl_top: the ${top_n} most frequent values of each column per event type (pandas value_counts()[:top_n]; ties,
-- which pandas leaves to its sort, are broken here by the smaller value). col_idx: 0 sku, 1 category, 2 price for
-- product events; 0 url for page visits.
SELECT event_type, col_idx, v, rnk
FROM (
  SELECT event_type, col_idx, v, ROW_NUMBER() OVER (PARTITION BY event_type, col_idx ORDER BY n DESC, v ASC) - 1 AS rnk
  FROM (
    SELECT event_type, 0 AS col_idx, sku AS v, COUNT(*) AS n FROM bl_ev WHERE event_type IN (0, 1, 2) AND sku IS NOT NULL GROUP BY event_type, sku
    UNION ALL
    SELECT event_type, 1 AS col_idx, category AS v, COUNT(*) AS n FROM bl_ev WHERE event_type IN (0, 1, 2) AND category IS NOT NULL GROUP BY event_type, category
    UNION ALL
    SELECT event_type, 2 AS col_idx, price AS v, COUNT(*) AS n FROM bl_ev WHERE event_type IN (0, 1, 2) AND price IS NOT NULL GROUP BY event_type, price
    UNION ALL
    SELECT event_type, 0 AS col_idx, url AS v, COUNT(*) AS n FROM bl_ev WHERE event_type = 3 AND url IS NOT NULL GROUP BY event_type, url
  ) c
) r
WHERE rnk < ${top_n}
