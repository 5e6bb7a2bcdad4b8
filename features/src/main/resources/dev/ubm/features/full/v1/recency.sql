-- Days since the last (recency) and the first (tenure) event of each type, and has_<type> flags. A type that
-- never occurred, or a client without history, gets the horizon: the days from the first input event to the cutoff.
-- @default recency_*=${horizon_days}
SELECT client_id
  , COALESCE(MIN(CASE WHEN {t.cond} THEN age_s END) / 86400.0, ${horizon_days}) AS recency_{t}_days  -- @each t in types_any
  , COALESCE(MAX(CASE WHEN {t.cond} THEN age_s END) / 86400.0, 0) AS tenure_{t}_days  -- @each t in types_any
  , MAX(CASE WHEN {t.cond} THEN 1 ELSE 0 END) AS has_{t}  -- @each t in types
FROM ev
GROUP BY client_id
