-- Search queries: mean (as in the organisers' baseline) and spread of each code position; distinct queries and
-- their share of all searches.
SELECT client_id
  , COALESCE(AVG(qc{c}), 0) AS query_mean_{c}  -- @each c in qcodes
  , COALESCE(STDDEV_POP(qc{c}), 0) AS query_std_{c}  -- @each c in qcodes
  , COUNT(DISTINCT query) AS query_distinct
  , COUNT(DISTINCT query) * 1.0 / COUNT(*) AS query_unique_share
FROM q
GROUP BY client_id
