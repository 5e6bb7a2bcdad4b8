-- Sessions: a gap of more than ${session_gap_minutes} minutes starts a new one. Count (all, last 30 and 7 days by
-- session start), events and minutes per session (mean, max), distinct event types per session, and the share of
-- sessions with a buy, an add and a search.
SELECT client_id
  , COUNT(*) AS sessions_all
  , SUM(CASE WHEN start_age_s <= 30 * 86400 THEN 1 ELSE 0 END) AS sessions_30d
  , SUM(CASE WHEN start_age_s <= 7 * 86400 THEN 1 ELSE 0 END) AS sessions_7d
  , AVG(n * 1.0) AS session_events_mean
  , MAX(n) AS session_events_max
  , AVG(dur_s) / 60.0 AS session_minutes_mean
  , MAX(dur_s) / 60.0 AS session_minutes_max
  , AVG((has_buy + has_add + has_remove + has_visit + has_search) * 1.0) AS session_types_mean
  , AVG(has_buy * 1.0) AS session_buy_share
  , AVG(has_add * 1.0) AS session_add_share
  , AVG(has_search * 1.0) AS session_search_share
FROM (
  SELECT client_id,
         session,
         COUNT(*) AS n,
         MAX(age_s) AS start_age_s,
         MAX(age_s) - MIN(age_s) AS dur_s,
         MAX(CASE WHEN event_type = 0 THEN 1 ELSE 0 END) AS has_buy,
         MAX(CASE WHEN event_type = 1 THEN 1 ELSE 0 END) AS has_add,
         MAX(CASE WHEN event_type = 2 THEN 1 ELSE 0 END) AS has_remove,
         MAX(CASE WHEN event_type = 3 THEN 1 ELSE 0 END) AS has_visit,
         MAX(CASE WHEN event_type = 4 THEN 1 ELSE 0 END) AS has_search
  FROM (
    SELECT client_id, event_type, age_s,
           SUM(CASE WHEN gap_s IS NULL OR gap_s > ${session_gap_minutes} * 60 THEN 1 ELSE 0 END)
             OVER (PARTITION BY client_id ORDER BY age_s DESC RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS session
    FROM ev
  ) e
  GROUP BY client_id, session
) s
GROUP BY client_id
