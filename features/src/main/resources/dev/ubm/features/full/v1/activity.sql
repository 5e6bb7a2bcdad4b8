-- Active days (days with at least one event) per window and per type, active weeks, events per active day, and
-- how densely the span between the first and last active day is used.
SELECT client_id
  , SUM(CASE WHEN day < {w} THEN 1 ELSE 0 END) AS active_days_{w}d  -- @each w in windows
  , COUNT(*) AS active_days_all
  , SUM(CASE WHEN n_{t} > 0 THEN 1 ELSE 0 END) AS active_days_{t}  -- @each t in types
  , COUNT(DISTINCT FLOOR(day / 7.0)) AS active_weeks_all
  , SUM(n_any) * 1.0 / COUNT(*) AS events_per_active_day
  , COUNT(*) * 1.0 / (MAX(day) - MIN(day) + 1) AS active_day_density
FROM cday
GROUP BY client_id
