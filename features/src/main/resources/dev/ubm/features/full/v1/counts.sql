-- Event counts per type ("any" = all types) in trailing windows before the cutoff and over all history;
-- the mix of types: share of each type, and buys, adds and searches per page visit.
SELECT client_id
  , SUM(CASE WHEN day < {w} THEN n_{t} ELSE 0 END) AS cnt_{t}_{w}d  -- @each t in types_any, w in windows
  , SUM(n_{t}) AS cnt_{t}_all  -- @each t in types_any
  , SUM(n_{t}) * 1.0 / SUM(n_any) AS share_{t}  -- @each t in types
  , SUM(n_{t}) * 1.0 / (SUM(n_visit) + 1) AS {t}_per_visit  -- @each t in per_visit
FROM cday
GROUP BY client_id
