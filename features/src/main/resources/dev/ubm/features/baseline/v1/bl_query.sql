-- The baseline's query features: the mean of each of the ${query_codes} code positions over all of a client's
-- searches. DuckDB dialect: regexp_split_to_array, trim(s, chars), TRY_CAST, 1-based list index.
SELECT client_id
  , AVG(TRY_CAST(codes[{c.pos}] AS DOUBLE)) AS q{c}  -- @each c in qcodes
FROM (
  SELECT client_id, regexp_split_to_array(trim(query, '[] '), '\s+') AS codes
  FROM search_query
  WHERE client_id IN (SELECT client_id FROM feature_clients)
) x
GROUP BY client_id
ORDER BY client_id
