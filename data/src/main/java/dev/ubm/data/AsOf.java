package dev.ubm.data;

import dev.ubm.core.AtomicFiles;
import dev.ubm.core.ChallengeDataDir;
import dev.ubm.core.EventType;
import dev.ubm.core.Json;
import dev.ubm.core.Task;
import dev.ubm.core.UnexpectedStateException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A data dir as it looked at an earlier cutoff, for target-aware training inside the input period: the events
 * before {@code asOf} = cutoff − labelDays are copied (DuckDB COPY) into a new dir with the same layout, together
 * with product_properties, the relevant clients and the public target lists (active_clients recomputed at asOf);
 * the labels come from the source's own events in [asOf, cutoff). The split's target windows are never read, so
 * the labels exist wherever the embedding stages run, including on the real contest data.
 */
public final class AsOf {
    /** The file next to the events that records how the as-of dir was made. */
    public static final String INFO = "asof.json";

    private final ChallengeDataDir dir;
    private final LocalDateTime asOf;
    private final LocalDateTime cutoff;
    private final Labels labels;

    private AsOf(ChallengeDataDir dir, LocalDateTime asOf, LocalDateTime cutoff, Labels labels) {
        this.dir = dir;
        this.asOf = asOf;
        this.cutoff = cutoff;
        this.labels = labels;
    }

    /** The truncated data dir (events before {@link #asOf()}). */
    public ChallengeDataDir dir() {
        return dir;
    }

    public LocalDateTime asOf() {
        return asOf;
    }

    /** The end of the label window (the source's input cutoff unless an offset was given); labels: [asOf, cutoff). */
    public LocalDateTime cutoff() {
        return cutoff;
    }

    public Labels labels() {
        return labels;
    }

    /**
     * Per relevant client (source order), labels of a window: {@code active} = ≥1 product_buy before the window;
     * {@code noBuy} = 1 when the client bought nothing in the window (churn and conversion); {@code activity} =
     * the client's number of events of each type in the window (rows × 5, {@link EventType} order); per propensity task
     * with a target list, a row-major multi-hot matrix (clients × list size) of what the client bought.
     */
    public record Labels(LocalDateTime from, LocalDateTime to, long[] clientIds, boolean[] active, float[] noBuy,
            float[] activity, Map<Task, long[]> lists, Map<Task, float[]> multiHot) {
        public Labels {
            lists = Collections.unmodifiableMap(copy(lists));
            multiHot = Collections.unmodifiableMap(copy(multiHot));
        }

        private static <V> Map<Task, V> copy(Map<Task, V> m) {
            Map<Task, V> out = new EnumMap<>(Task.class);
            out.putAll(m);
            return out;
        }

        public int rows() {
            return clientIds.length;
        }

        /** Number of clients with noBuy = 0 (bought in the window). */
        public int buyers() {
            int n = 0;
            for (float v : noBuy) {
                n += v == 0f ? 1 : 0;
            }
            return n;
        }

        /**
         * Computes the labels of [from, to) from a store's events; propensity tasks whose list is given get a
         * multi-hot matrix (a value in the list bought by the client in the window = 1).
         */
        public static Labels compute(EventStore store, LocalDateTime from, LocalDateTime to,
                Map<Task, long[]> lists) {
            long[] ids = RelevantClients.read(store.dataDir());
            Map<Long, Integer> row = new HashMap<>(ids.length * 2);
            for (int i = 0; i < ids.length; i++) {
                row.put(ids[i], i);
            }
            Connection c = store.connection();
            String win = window("timestamp", from, to);
            boolean[] active = new boolean[ids.length];
            forEachLong(c, "SELECT DISTINCT client_id FROM product_buy WHERE timestamp < " + ts(from)
                    + " AND client_id IN (SELECT client_id FROM relevant_clients)", id -> active[row.get(id)] = true);
            float[] noBuy = new float[ids.length];
            java.util.Arrays.fill(noBuy, 1f);
            forEachLong(c, "SELECT DISTINCT client_id FROM product_buy WHERE " + win
                    + " AND client_id IN (SELECT client_id FROM relevant_clients)", id -> noBuy[row.get(id)] = 0f);
            int types = EventType.values().length;
            float[] activity = new float[ids.length * types];
            String act = "SELECT client_id, event_type, count(*) FROM events WHERE " + win
                    + " AND client_id IN (SELECT client_id FROM relevant_clients) GROUP BY ALL";
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(act)) {
                while (rs.next()) {
                    activity[row.get(rs.getLong(1)) * types + rs.getInt(2)] = rs.getLong(3);
                }
            } catch (SQLException ex) {
                throw new UnexpectedStateException("cannot count the label window's events: " + ex.getMessage(), ex);
            }
            Map<Task, float[]> hot = new EnumMap<>(Task.class);
            for (Map.Entry<Task, long[]> e : lists.entrySet()) {
                Task task = e.getKey();
                long[] list = e.getValue();
                Map<Long, Integer> col = new HashMap<>();
                for (int k = 0; k < list.length; k++) {
                    col.put(list[k], k);
                }
                float[] m = new float[ids.length * list.length];
                String column = task.targetColumn();
                String sql = column.equals("sku")
                        ? "SELECT DISTINCT client_id, sku FROM product_buy WHERE " + win
                        : "SELECT DISTINCT b.client_id, p." + column + " FROM product_buy b JOIN "
                                + "(SELECT DISTINCT sku, " + column + " FROM product_properties) p ON b.sku = p.sku "
                                + "WHERE " + window("b.timestamp", from, to) + " AND p." + column
                                + " IS NOT NULL";
                sql = "SELECT * FROM (" + sql + ") WHERE client_id IN (SELECT client_id FROM relevant_clients)";
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
                    while (rs.next()) {
                        Integer k = col.get(rs.getLong(2));
                        if (k != null) {
                            m[row.get(rs.getLong(1)) * list.length + k] = 1f;
                        }
                    }
                } catch (SQLException ex) {
                    throw new UnexpectedStateException("cannot compute " + task.cliName() + " labels: "
                            + ex.getMessage(), ex);
                }
                hot.put(task, m);
            }
            return new Labels(from, to, ids, active, noBuy, activity, lists, hot);
        }
    }

    /**
     * Writes the as-of dir of {@code source} into {@code out} (created; must be empty or absent) and computes the
     * labels of the last {@code labelDays} days of the source's input.
     */
    public static AsOf materialise(ChallengeDataDir source, Path out, int labelDays) {
        return materialise(source, out, labelDays, 0);
    }

    /**
     * As {@link #materialise(ChallengeDataDir, Path, int)}, with the label window ending {@code endOffsetDays}
     * before the source's cutoff: asOf = cutoff − endOffsetDays − labelDays, labels from [asOf, asOf + labelDays).
     * Successive offsets (0, 14, 28, …) give more, older training windows.
     */
    public static AsOf materialise(ChallengeDataDir source, Path out, int labelDays, int endOffsetDays) {
        if (labelDays < 1 || endOffsetDays < 0) {
            throw new IllegalArgumentException("labelDays must be ≥ 1 and endOffsetDays ≥ 0, got " + labelDays
                    + ", " + endOffsetDays);
        }
        source.require(ChallengeDataDir.Need.EVENTS);
        try (EventStore store = EventStore.open(source)) {
            LocalDateTime cutoff = store.cutoff().minusDays(endOffsetDays);
            LocalDateTime asOf = cutoff.minusDays(labelDays);
            Files.createDirectories(out);
            boolean split = source.eventsDir().equals(source.inputDir());
            Path eventsOut = split ? out.resolve(ChallengeDataDir.INPUT) : out;
            Files.createDirectories(eventsOut);
            Files.createDirectories(out.resolve(ChallengeDataDir.INPUT));
            Connection c = store.connection();
            Map<String, Object> counts = new LinkedHashMap<>();
            for (EventType t : EventType.values()) {
                Path target = eventsOut.resolve(t.stem() + ".parquet");
                Path tmp = eventsOut.resolve("." + t.stem() + ".parquet.tmp");
                Duck.exec(c, "COPY (SELECT * FROM " + EventStore.reader(source.eventFile(t))
                        + " WHERE CAST(timestamp AS TIMESTAMP) < " + ts(asOf) + ") TO " + Duck.sqlPath(tmp)
                        + " (FORMAT parquet)");
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                counts.put(t.stem(), count(c, "SELECT count(*) FROM " + t.stem() + " WHERE timestamp < " + ts(asOf)));
            }
            Path props = source.propertiesFile();
            Files.copy(props, out.resolve(props.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            ChallengeDataDir dst = ChallengeDataDir.open(out);
            Files.copy(source.relevantClientsFile(), dst.relevantClientsFile(), StandardCopyOption.REPLACE_EXISTING);
            Map<Task, long[]> lists = new EnumMap<>(Task.class);
            for (Task task : Task.values()) {
                if (task.isBinary()) {
                    continue;
                }
                if (Files.isRegularFile(source.targetListFile(task))) {
                    Files.createDirectories(dst.targetDir());
                    Files.copy(source.targetListFile(task), dst.targetListFile(task),
                            StandardCopyOption.REPLACE_EXISTING);
                    lists.put(task, Npy.readLongs(source.targetListFile(task)));
                }
                if (Files.isRegularFile(source.popularityFile(task))) {
                    Files.copy(source.popularityFile(task), dst.popularityFile(task),
                            StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Labels labels = Labels.compute(store, asOf, cutoff, lists);
            if (Files.isRegularFile(source.activeClientsFile()) || !lists.isEmpty()) {
                List<Long> active = new ArrayList<>();
                for (int i = 0; i < labels.rows(); i++) {
                    if (labels.active()[i]) {
                        active.add(labels.clientIds()[i]);
                    }
                }
                Files.createDirectories(dst.targetDir());
                Npy.writeLongs(dst.activeClientsFile(), active.stream().mapToLong(Long::longValue).toArray());
            }
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("source", source.root().toString());
            info.put("as_of", asOf.format(SplitWindows.TIMESTAMP));
            info.put("cutoff", cutoff.format(SplitWindows.TIMESTAMP));
            info.put("label_days", labelDays);
            info.put("end_offset_days", endOffsetDays);
            info.put("events", counts);
            info.put("relevant_clients", labels.rows());
            info.put("buyers_in_label_window", labels.buyers());
            AtomicFiles.writeString(out.resolve(INFO), Json.write(info));
            return new AsOf(dst, asOf, cutoff, labels);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the as-of dir " + out, e);
        }
    }

    private static String window(String column, LocalDateTime from, LocalDateTime to) {
        return column + " >= " + ts(from) + " AND " + column + " < " + ts(to);
    }

    /** A TIMESTAMP literal. */
    static String ts(LocalDateTime t) {
        return "TIMESTAMP '" + t.format(SplitWindows.TIMESTAMP) + "'";
    }

    private static long count(Connection c, String sql) {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new UnexpectedStateException("DuckDB failed: " + e.getMessage(), e);
        }
    }

    private interface LongConsumer {
        void accept(long v);
    }

    private static void forEachLong(Connection c, String sql, LongConsumer f) {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                f.accept(rs.getLong(1));
            }
        } catch (SQLException e) {
            throw new UnexpectedStateException("DuckDB failed: " + e.getMessage(), e);
        }
    }
}
