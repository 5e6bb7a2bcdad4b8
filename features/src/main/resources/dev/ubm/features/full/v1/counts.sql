-- Event counts per type ("any" = all types) in trailing windows before the cutoff and over all history;
-- the mix of types: share of each type, and buys, adds and searches per page visit.
SELECT client_id
  , SUM(CASE WHEN {t.cond} AND age_s <= {w} * 86400 THEN 1 ELSE 0 END) AS cnt_{t}_{w}d  -- @each t in types_any, w in windows
  , SUM(CASE WHEN {t.cond} THEN 1 ELSE 0 END) AS cnt_{t}_all  -- @each t in types_any
  , AVG(CASE WHEN {t.cond} THEN 1.0 ELSE 0.0 END) AS share_{t}  -- @each t in types
  , SUM(CASE WHEN event_type = {t.code} THEN 1 ELSE 0 END) * 1.0 / (SUM(CASE WHEN event_type = 3 THEN 1 ELSE 0 END) + 1) AS {t}_per_visit  -- @each t in per_visit
FROM ev
GROUP BY client_id
