-- q: the relevant clients' search queries with their ${query_codes} codes parsed from "[c1 c2 ...]".
-- DuckDB dialect: regexp_split_to_array, trim(s, chars), TRY_CAST, 1-based list index. Spark SQL:
-- split(regexp_replace(query, '^[\\[ ]+|[\\] ]+$', ''), ' +')[i - 1].
SELECT client_id, age_s, query
  , TRY_CAST(codes[{c.pos}] AS INTEGER) AS qc{c}  -- @each c in qcodes
FROM (
  SELECT client_id,
         CAST(date_diff('second', timestamp, TIMESTAMP '${cutoff}') AS INTEGER) AS age_s,
         query,
         regexp_split_to_array(trim(query, '[] '), '\s+') AS codes
  FROM search_query
  WHERE client_id IN (SELECT client_id FROM feature_clients)
) x
