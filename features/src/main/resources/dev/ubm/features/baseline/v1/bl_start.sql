-- bl_start: where each window starts per event type: max_ts - days (the baseline counts events at or after it).
-- DuckDB dialect: to_days. Spark SQL: m.max_ts - make_interval(0, 0, 0, w.days).
SELECT m.event_type, w.widx, m.max_ts - to_days(CAST(w.days AS INTEGER)) AS start_ts
FROM bl_max m
CROSS JOIN bl_windows w
