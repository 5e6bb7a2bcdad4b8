-- Gaps between consecutive events: mean, spread and longest in hours, mean log-minutes; mean gap between events of
-- each type in days (the horizon when a type occurred less than twice); buy_overdue = (days since the last buy + 1)
-- / (mean days between buys + 1), 0 with fewer than two buys.
-- @default gap_*_mean_days=${horizon_days}
SELECT client_id
  , COALESCE(AVG(gap_s), 0) / 3600.0 AS gap_mean_h
  , COALESCE(STDDEV_POP(gap_s), 0) / 3600.0 AS gap_std_h
  , COALESCE(MAX(gap_s), 0) / 3600.0 AS gap_max_h
  , COALESCE(AVG(LN(1 + gap_s / 60.0)), 0) AS gap_logmin_mean
  , COALESCE((MAX(CASE WHEN {t.cond} THEN age_s END) - MIN(CASE WHEN {t.cond} THEN age_s END)) / 86400.0 / NULLIF(SUM(CASE WHEN {t.cond} THEN 1 ELSE 0 END) - 1, 0), ${horizon_days}) AS gap_{t}_mean_days  -- @each t in types
  , COALESCE((MIN(CASE WHEN event_type = 0 THEN age_s END) / 86400.0 + 1) / ((MAX(CASE WHEN event_type = 0 THEN age_s END) - MIN(CASE WHEN event_type = 0 THEN age_s END)) / 86400.0 / NULLIF(SUM(CASE WHEN event_type = 0 THEN 1 ELSE 0 END) - 1, 0) + 1), 0) AS buy_overdue
FROM ev
GROUP BY client_id
