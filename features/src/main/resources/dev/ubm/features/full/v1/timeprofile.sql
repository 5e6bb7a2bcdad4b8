-- When the client is active: share of its events per hour of day and per day of week (0 = Monday).
SELECT client_id
  , AVG(CASE WHEN hour = {h} THEN 1.0 ELSE 0.0 END) AS hour_share_{h}  -- @each h in hours
  , AVG(CASE WHEN dow = {d} THEN 1.0 ELSE 0.0 END) AS dow_share_{d}  -- @each d in dows
FROM ev
GROUP BY client_id
