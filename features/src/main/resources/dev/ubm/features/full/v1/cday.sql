-- cday: events per client, day (0 = the last day before the cutoff) and event type.
SELECT client_id, day, event_type, COUNT(*) AS n
FROM ev
GROUP BY client_id, day, event_type
