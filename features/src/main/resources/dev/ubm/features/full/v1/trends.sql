-- Trends: events in the w days before the one w-day window ending at the cutoff (cnt_<type>_prev<w>d), and
-- trend = (last - previous) / (last + previous + 1), in (-1, 1).
SELECT client_id
  , SUM(CASE WHEN {t.cond} AND age_s > {w} * 86400 AND age_s <= 2 * {w} * 86400 THEN 1 ELSE 0 END) AS cnt_{t}_prev{w}d  -- @each t in types_any, w in trend_windows
  , (SUM(CASE WHEN {t.cond} AND age_s <= {w} * 86400 THEN 1 ELSE 0 END) - SUM(CASE WHEN {t.cond} AND age_s > {w} * 86400 AND age_s <= 2 * {w} * 86400 THEN 1 ELSE 0 END)) * 1.0 / (SUM(CASE WHEN {t.cond} AND age_s <= 2 * {w} * 86400 THEN 1 ELSE 0 END) + 1) AS trend_{t}_{w}d  -- @each t in types_any, w in trend_windows
FROM ev
GROUP BY client_id
