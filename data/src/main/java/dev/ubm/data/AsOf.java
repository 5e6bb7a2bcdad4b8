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
 * with product_properties, a client list (the relevant clients, optionally plus other clients: {@link TrainClients})
 * as its relevant_clients.npy and the public target lists (active_clients recomputed at asOf, the new-SKU list
 * replaced by a proxy for the label window: {@link #newSkuProxy});
 * the labels come from the source's own events in [asOf, cutoff). The split's target windows are never read, so
 * the labels exist wherever the embedding stages run, including on the real contest data.
 */
public final class AsOf {
    /** The file next to the events that records how the as-of dir was made. */
    public static final String INFO = "asof.json";
    /** DuckDB table of the clients whose labels are computed. */
    private static final String LABEL_CLIENTS = "label_clients";

    private final ChallengeDataDir dir;
    private final LocalDateTime asOf;
    private final LocalDateTime cutoff;
    private final Labels labels;
    private final int relevant;
    private final List<String> notes;

    private AsOf(ChallengeDataDir dir, LocalDateTime asOf, LocalDateTime cutoff, Labels labels, int relevant,
            List<String> notes) {
        this.dir = dir;
        this.asOf = asOf;
        this.cutoff = cutoff;
        this.labels = labels;
        this.relevant = relevant;
        this.notes = List.copyOf(notes);
    }

    /** Number of relevant clients of the source (the first rows of the as-of dir's client list). */
    public int relevantClients() {
        return relevant;
    }

    /** What the caller should print (e.g. a new-sku proxy list shorter than the shipped one). */
    public List<String> notes() {
        return notes;
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
     * Per listed client (the as-of dir's list, in order), labels of a window: {@code active} = ≥1 product_buy before the window;
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
         * Computes the labels of [from, to) from a store's events for the store's relevant clients; propensity tasks
         * whose list is given get a multi-hot matrix (a value in the list bought by the client in the window = 1).
         */
        public static Labels compute(EventStore store, LocalDateTime from, LocalDateTime to,
                Map<Task, long[]> lists) {
            return compute(store, from, to, lists, RelevantClients.read(store.dataDir()));
        }

        /** As {@link #compute(EventStore, LocalDateTime, LocalDateTime, Map)}, for the clients {@code ids}. */
        public static Labels compute(EventStore store, LocalDateTime from, LocalDateTime to,
                Map<Task, long[]> lists, long[] ids) {
            store.loadIds(LABEL_CLIENTS, ids);
            String inList = " AND client_id IN (SELECT client_id FROM " + LABEL_CLIENTS + ")";
            Map<Long, Integer> row = new HashMap<>(ids.length * 2);
            for (int i = 0; i < ids.length; i++) {
                row.put(ids[i], i);
            }
            Connection c = store.connection();
            String win = window("timestamp", from, to);
            boolean[] active = new boolean[ids.length];
            forEachLong(c, "SELECT DISTINCT client_id FROM product_buy WHERE timestamp < " + ts(from) + inList,
                    id -> active[row.get(id)] = true);
            float[] noBuy = new float[ids.length];
            java.util.Arrays.fill(noBuy, 1f);
            forEachLong(c, "SELECT DISTINCT client_id FROM product_buy WHERE " + win + inList,
                    id -> noBuy[row.get(id)] = 0f);
            int types = EventType.values().length;
            float[] activity = new float[ids.length * types];
            String act = "SELECT client_id, event_type, count(*) FROM events WHERE " + win + inList + " GROUP BY ALL";
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
                sql = "SELECT * FROM (" + sql + ") WHERE true" + inList;
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
            return new Labels(from, to, ids.clone(), active, noBuy, activity, lists, hot);
        }
    }

    /**
     * Writes the as-of dir of {@code source} into {@code out} (created; must be empty or absent) and computes the
     * labels of the last {@code labelDays} days of the source's input, for the relevant clients.
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
        return materialise(source, out, labelDays, endOffsetDays, new TrainClients(TrainClients.Mode.RELEVANT, 0), 0);
    }

    /**
     * As {@link #materialise(ChallengeDataDir, Path, int, int)}, listing the clients {@code clients} chooses (with
     * {@code seed} for a sample) as the as-of dir's {@code input/relevant_clients.npy}; the labels cover that list.
     * The new-SKU list of the as-of dir is a proxy made for its label window ({@link #newSkuProxy}), as long as
     * the source ships one (its length is the proxy's size); the other target lists are copied.
     */
    public static AsOf materialise(ChallengeDataDir source, Path out, int labelDays, int endOffsetDays,
            TrainClients clients, long seed) {
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
            long[] relevant = RelevantClients.read(source);
            long[] ids = clients.select(c, relevant, asOf, seed);
            Npy.writeLongs(dst.relevantClientsFile(), ids);
            List<String> notes = new ArrayList<>();
            Map<Task, long[]> lists = new EnumMap<>(Task.class);
            Map<String, Object> proxyInfo = null;
            for (Task task : Task.values()) {
                if (task.isBinary()) {
                    continue;
                }
                if (!Files.isRegularFile(source.targetListFile(task))) {
                    continue;
                }
                Files.createDirectories(dst.targetDir());
                if (task == Task.PROPENSITY_NEW_SKU) {
                    int n = Npy.readLongs(source.targetListFile(task)).length;
                    NewSkuProxy bought = newSkuProxy(c, asOf, cutoff, n);
                    NewSkuProxy proxy = padNewSkuProxy(c, asOf, cutoff, bought, n);
                    Npy.writeLongs(dst.targetListFile(task), proxy.skus());
                    Npy.writeLongs(dst.popularityFile(task), proxy.buys());
                    lists.put(task, proxy.skus());
                    proxyInfo = new LinkedHashMap<>();
                    proxyInfo.put("size", proxy.skus().length);
                    proxyInfo.put("bought", bought.skus().length);
                    proxyInfo.put("wanted", n);
                    proxyInfo.put("rule", "the most bought skus in the label window among skus with no buy, "
                            + "add_to_cart or remove_from_cart before as_of; padded with skus not bought in it, "
                            + "such unseen skus first");
                    if (bought.skus().length < n) {
                        notes.add("the new-sku proxy list of the window [" + asOf.format(SplitWindows.TIMESTAMP)
                                + ", " + cutoff.format(SplitWindows.TIMESTAMP) + ") has " + bought.skus().length
                                + " skus bought in it, fewer than the " + n + " of the shipped list; "
                                + (proxy.skus().length - bought.skus().length) + " skus not bought in it (unseen "
                                + "before it first) pad the list to " + proxy.skus().length + " (all-0 labels)");
                    }
                    continue;
                }
                Files.copy(source.targetListFile(task), dst.targetListFile(task), StandardCopyOption.REPLACE_EXISTING);
                lists.put(task, Npy.readLongs(source.targetListFile(task)));
                if (Files.isRegularFile(source.popularityFile(task))) {
                    Files.copy(source.popularityFile(task), dst.popularityFile(task),
                            StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Labels labels = Labels.compute(store, asOf, cutoff, lists, ids);
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
            info.put("train_clients", clients.toString());
            if (clients.mode() == TrainClients.Mode.SAMPLE) {
                info.put("train_clients_seed", seed);
            }
            info.put("relevant_clients", relevant.length);
            info.put("listed_clients", ids.length);
            info.put("buyers_in_label_window", labels.buyers());
            if (proxyInfo != null) {
                info.put("new_sku_proxy", proxyInfo);
            }
            if (!notes.isEmpty()) {
                info.put("notes", notes);
            }
            AtomicFiles.writeString(out.resolve(INFO), Json.write(info));
            return new AsOf(dst, asOf, cutoff, labels, relevant.length, notes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the as-of dir " + out, e);
        }
    }

    /**
     * The proxy list padded to {@code n} skus (so it is as long as the shipped list, and blocks made on the as-of dir
     * with a column per listed sku are as wide as those made at the real cutoff) with skus of product_properties that
     * are not on the list yet and not bought in [asOf, cutoff), with 0 buys: their labels are all 0, as in a head
     * padded with 0 labels. Skus with no product_buy, add_to_cart or remove_from_cart event before asOf come first,
     * then (when too few are left) skus seen before it, each part by id. Shorter only when product_properties holds
     * fewer skus than that.
     */
    static NewSkuProxy padNewSkuProxy(Connection c, LocalDateTime asOf, LocalDateTime cutoff, NewSkuProxy bought,
            int n) {
        int missing = n - bought.skus().length;
        if (missing <= 0) {
            return bought;
        }
        StringBuilder listed = new StringBuilder("-1");
        for (long sku : bought.skus()) {
            listed.append(", ").append(sku);
        }
        String notBought = " AND sku NOT IN (SELECT sku FROM product_buy WHERE sku IS NOT NULL AND timestamp >= "
                + ts(asOf) + " AND timestamp < " + ts(cutoff) + ")";
        String sql = "SELECT sku FROM (SELECT DISTINCT sku, sku IN (" + NewSkus.seenBefore(ts(asOf)) + ") AS seen "
                + "FROM product_properties WHERE sku IS NOT NULL AND sku NOT IN (" + listed + ")" + notBought
                + ") ORDER BY seen, sku LIMIT " + missing;
        List<Long> pad = new ArrayList<>();
        forEachLong(c, sql, pad::add);
        long[] skus = java.util.Arrays.copyOf(bought.skus(), bought.skus().length + pad.size());
        long[] buys = java.util.Arrays.copyOf(bought.buys(), skus.length);
        for (int i = 0; i < pad.size(); i++) {
            skus[bought.skus().length + i] = pad.get(i);
        }
        return new NewSkuProxy(skus, buys);
    }

    /** A proxy new-SKU list with each sku's number of buys in the label window. */
    public record NewSkuProxy(long[] skus, long[] buys) {
    }

    /**
     * The new-SKU list of a training window, made the way the challenge's list is made for its target window
     * ({@link NewSkus}): the {@code n} skus bought most often in [asOf, cutoff) among the skus with no product_buy,
     * add_to_cart or remove_from_cart event before asOf (ties by sku id); fewer when fewer exist. The shipped list is of no use
     * there: its skus are new only after the real cutoff.
     */
    public static NewSkuProxy newSkuProxy(Connection c, LocalDateTime asOf, LocalDateTime cutoff, int n) {
        String sql = "SELECT id, n FROM (" + NewSkus.boughtIn(ts(asOf), ts(cutoff)) + ") ORDER BY n DESC, id LIMIT "
                + n;
        List<long[]> rows = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                rows.add(new long[] {rs.getLong(1), rs.getLong(2)});
            }
        } catch (SQLException e) {
            throw new UnexpectedStateException("cannot make the new-sku proxy list: " + e.getMessage(), e);
        }
        long[] skus = new long[rows.size()];
        long[] buys = new long[rows.size()];
        for (int i = 0; i < skus.length; i++) {
            skus[i] = rows.get(i)[0];
            buys[i] = rows.get(i)[1];
        }
        return new NewSkuProxy(skus, buys);
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

    static void forEachLong(Connection c, String sql, java.util.function.LongConsumer f) {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                f.accept(rs.getLong(1));
            }
        } catch (SQLException e) {
            throw new UnexpectedStateException("DuckDB failed: " + e.getMessage(), e);
        }
    }
}
