-- Gaps between consecutive active days (in days), and overdue_ratio = (days since the last active day + 1) /
-- (mean gap + 1): above 1 when the client is quieter than usual.
-- @default daygap_mean=${horizon_days}
SELECT client_id
  , COALESCE(AVG(dgap), ${horizon_days}) AS daygap_mean
  , COALESCE(STDDEV_POP(dgap), 0) AS daygap_std
  , COALESCE(MAX(dgap), 0) AS daygap_max
  , (MIN(day) + 1.0) / (COALESCE(AVG(dgap), ${horizon_days}) + 1.0) AS overdue_ratio
FROM (
  SELECT client_id, day, LAG(day) OVER (PARTITION BY client_id ORDER BY day DESC) - day AS dgap
  FROM cday
) x
GROUP BY client_id
