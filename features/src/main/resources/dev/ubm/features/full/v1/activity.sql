-- Active days (days with at least one event) per window and per type, active weeks, events per active day, and
-- how densely the span between the first and last active day is used.
SELECT client_id
  , COUNT(DISTINCT CASE WHEN day < {w} THEN day END) AS active_days_{w}d  -- @each w in windows
  , COUNT(DISTINCT day) AS active_days_all
  , COUNT(DISTINCT CASE WHEN {t.cond} THEN day END) AS active_days_{t}  -- @each t in types
  , COUNT(DISTINCT FLOOR(day / 7.0)) AS active_weeks_all
  , SUM(n) * 1.0 / COUNT(DISTINCT day) AS events_per_active_day
  , COUNT(DISTINCT day) * 1.0 / (MAX(day) - MIN(day) + 1) AS active_day_density
FROM cday
GROUP BY client_id
