-- Trends: events in the w days before the last w days (cnt_<type>_prev<w>d), and trend = (last - previous) /
-- (last + previous + 1), in (-1, 1).
SELECT client_id
  , SUM(CASE WHEN day >= {w} AND day < 2 * {w} THEN n_{t} ELSE 0 END) AS cnt_{t}_prev{w}d  -- @each t in types_any, w in trend_windows
  , (SUM(CASE WHEN day < {w} THEN n_{t} ELSE 0 END) - SUM(CASE WHEN day >= {w} AND day < 2 * {w} THEN n_{t} ELSE 0 END)) * 1.0 / (SUM(CASE WHEN day < 2 * {w} THEN n_{t} ELSE 0 END) + 1) AS trend_{t}_{w}d  -- @each t in types_any, w in trend_windows
FROM cday
GROUP BY client_id
