-- bl_max: each event type's own latest timestamp among the relevant clients' events (the baseline's max_date).
SELECT event_type, MAX(timestamp) AS max_ts
FROM bl_ev
GROUP BY event_type
