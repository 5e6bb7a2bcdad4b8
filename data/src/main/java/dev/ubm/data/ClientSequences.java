package dev.ubm.data;

import dev.ubm.core.BadInputException;
import dev.ubm.core.EventType;
import dev.ubm.core.Progress;

import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Streams each client's time-ordered events (all types merged) from an {@link EventStore} without holding the
 * events as Java objects: one DuckDB query ordered by (client_id, timestamp) streams into the reusable primitive
 * buffers of one {@link ClientEvents}; product properties are joined in Java from sorted arrays. Ties within a
 * second are broken by event type code, item id, then query text, so the order is reproducible. Above
 * {@value #DEFAULT_CHUNK_EVENTS} events (system property {@value #CHUNK_PROPERTY}) the clients are cut into
 * client_id ranges sorted one at a time, so DuckDB's sort stays within memory.
 */
public final class ClientSequences {
    /** System property: events per sorted chunk of client ids. */
    public static final String CHUNK_PROPERTY = "ubm.sequences.chunkEvents";
    public static final long DEFAULT_CHUNK_EVENTS = 40_000_000L;
    private static final int SEARCH = EventType.SEARCH_QUERY.code();
    private static final int PROGRESS_STEP = 1 << 16;

    private ClientSequences() {
    }

    /**
     * Calls {@code each} once per client with at least one event (after the filters of {@code opts}), in ascending
     * client_id order. The {@link ClientEvents} passed is reused: copy what you keep. Returns the number of events
     * read from the store (before {@code lastN} trimming).
     */
    public static long forEach(EventStore store, SequenceOptions opts, Consumer<ClientEvents> each) {
        Object where = store.dataDir().root();
        ProductTable products = ProductTable.load(store.connection(), where.toString());
        String filter = filter(opts);
        // the count skips the NULL checks so that, without a time filter, no timestamp is parsed twice
        String cheap = countFilter(opts);
        long total = scalar(store.connection(), "SELECT count(*) FROM events WHERE " + cheap, where);
        List<String> ranges = ranges(store.connection(), cheap, total, where);
        ClientEvents ev = new ClientEvents(products);
        long seen = 0;
        long reported = 0;
        try (Progress progress = new Progress("client sequences", total, "events");
                Connection c = store.streamingConnection()) {
            for (String range : ranges) {
                String sql = "SELECT client_id, epoch_ms(timestamp) AS ms, event_type, coalesce(sku, url) AS item, query "
                        + "FROM events WHERE " + filter + range + " ORDER BY client_id, ms, event_type, item, query";
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
                    boolean has = false;
                    long current = 0;
                    while (rs.next()) {
                        long client = rs.getLong(1);
                        if (!has || client != current) {
                            if (has) {
                                emit(ev, opts, each);
                            }
                            ev.reset(client);
                            current = client;
                            has = true;
                        }
                        long ms = rs.getLong(2);
                        int type = rs.getByte(3);
                        long item = rs.getLong(4);
                        if (rs.wasNull()) {
                            item = -1;
                        }
                        String query = type == SEARCH ? rs.getString(5) : null;
                        try {
                            ev.add(Math.floorDiv(ms, 1000L), type, item, query);
                        } catch (IllegalArgumentException e) {
                            throw new BadInputException(EventType.SEARCH_QUERY.stem() + ": client " + client
                                    + ": column 'query': malformed code string '" + query + "' (expected \"[c1 c2 "
                                    + "...]\" of integers 0..255); run 'ubm validate-data --data-dir " + where
                                    + "' to list every problem");
                        }
                        if (++seen - reported >= PROGRESS_STEP) {
                            progress.add(seen - reported);
                            reported = seen;
                        }
                    }
                    if (has) {
                        emit(ev, opts, each);
                    }
                }
            }
            progress.add(seen - reported);
        } catch (SQLException e) {
            throw EventStore.failure(where, "stream the client sequences", e);
        }
        return seen;
    }

    private static void emit(ClientEvents ev, SequenceOptions opts, Consumer<ClientEvents> each) {
        ev.keepLast(opts.lastN());
        if (!ev.isEmpty()) {
            each.accept(ev);
        }
    }

    static String filter(SequenceOptions opts) {
        return "client_id IS NOT NULL AND timestamp IS NOT NULL AND " + countFilter(opts);
    }

    private static String countFilter(SequenceOptions opts) {
        StringBuilder sb = new StringBuilder("TRUE");
        if (opts.relevantOnly()) {
            sb.append(" AND client_id IN (SELECT client_id FROM relevant_clients)");
        }
        if (opts.before() != null) {
            if (opts.before().getNano() != 0) {
                throw new IllegalArgumentException("before must be a whole second: " + opts.before());
            }
            sb.append(" AND timestamp < TIMESTAMP '").append(opts.before().format(SplitWindows.TIMESTAMP)).append('\'');
        }
        return sb.toString();
    }

    /** SQL conditions (each starting with AND) cutting the clients into ranges of about chunk events. */
    private static List<String> ranges(Connection conn, String filter, long total, Object where) {
        long chunk = Long.getLong(CHUNK_PROPERTY, DEFAULT_CHUNK_EVENTS);
        int k = (int) Math.min(1000, (total + chunk - 1) / Math.max(1, chunk));
        List<String> out = new ArrayList<>();
        if (k <= 1) {
            out.add("");
            return out;
        }
        StringBuilder qs = new StringBuilder("[");
        for (int i = 1; i < k; i++) {
            qs.append(i == 1 ? "" : ", ").append((double) i / k);
        }
        qs.append(']');
        TreeSet<Long> cuts = new TreeSet<>();
        try (Statement st = conn.createStatement();
                ResultSet rs = st.executeQuery("SELECT approx_quantile(client_id, " + qs + ") FROM events WHERE "
                        + filter)) {
            rs.next();
            Array a = rs.getArray(1);
            for (Object o : (Object[]) a.getArray()) {
                cuts.add(((Number) o).longValue());
            }
        } catch (SQLException e) {
            throw EventStore.failure(where, "cut the clients into ranges", e);
        }
        Long lo = null;
        for (long cut : cuts) {
            out.add(lo == null ? " AND client_id < " + cut : " AND client_id >= " + lo + " AND client_id < " + cut);
            lo = cut;
        }
        out.add(" AND client_id >= " + lo);
        return out;
    }

    private static long scalar(Connection conn, String sql, Object where) {
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw EventStore.failure(where, "count the events", e);
        }
    }
}
