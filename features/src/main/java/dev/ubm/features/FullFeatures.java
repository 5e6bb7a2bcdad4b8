package dev.ubm.features;

import dev.ubm.core.ChallengeDataDir;
import dev.ubm.core.Progress;
import dev.ubm.core.Task;
import dev.ubm.core.UnexpectedStateException;
import dev.ubm.data.EventStore;
import dev.ubm.data.Npy;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ubm's own feature block: runs the full set's SQL (manifest order) over the event store, one chunk of relevant
 * clients at a time (so memory stays bounded on large worlds), and streams one row per relevant client. Clients
 * without events get the group defaults (0, or the horizon for recency-like features) and {@code no_history = 1}.
 */
final class FullFeatures {
    /** Short names of the event types by {@link dev.ubm.core.EventType#code()}, as used in feature names. */
    static final List<String> TYPE_NAMES = List.of("buy", "add", "remove", "visit", "search");
    static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);
    private static final Pattern DEFAULT = Pattern.compile("--\\s*@default\\s+([A-Za-z0-9_*]+)\\s*=\\s*(\\S+)");
    private static final int DEFAULT_QUERY_CODES = 16;

    private final EventStore store;
    private final FeatureConfig cfg;
    private final Connection conn;
    private final StringBuilder sqlLog = new StringBuilder();

    FullFeatures(EventStore store, FeatureConfig cfg) {
        this.store = store;
        this.cfg = cfg;
        this.conn = store.connection();
    }

    /** The SQL of the first chunk, as run (written to features.sql beside the block). */
    String sqlLog() {
        return sqlLog.toString();
    }

    /** Computes the block into {@code sink}, in {@code chunks} chunks of clients; returns facts for block.json. */
    Map<String, Object> run(int chunks, RowSink sink) {
        ChallengeDataDir data = store.dataDir();
        String cutoff = TS.format(store.cutoff());
        long firstAge = Sql.queryLong(conn,
                "SELECT date_diff('second', MIN(timestamp), TIMESTAMP '" + cutoff + "') FROM events", 86400);
        double horizon = Math.max(1, Math.ceil(firstAge / 86400.0));
        long[] tcat = targetList(data, Task.PROPENSITY_CATEGORY);
        long[] tsku = targetList(data, Task.PROPENSITY_SKU);
        long[] tnew = targetList(data, Task.PROPENSITY_NEW_SKU);
        int qcodes = queryCodes(conn);
        SqlTemplate tpl = template(cutoff, horizon, tcat, tsku, tnew, qcodes);
        exec("target lists", "CREATE OR REPLACE TABLE target_category AS "
                + Sql.valuesTable("category", tcat == null ? new long[0] : tcat));
        exec("target lists", "CREATE OR REPLACE TABLE target_sku AS "
                + Sql.valuesTable("sku", tsku == null ? new long[0] : tsku));
        // a new sku has no event before the cutoff: its category (product_properties) is what ties clients to it
        exec("target lists", "CREATE OR REPLACE TABLE target_new_sku AS SELECT t.idx, t.sku, p.category FROM ("
                + Sql.positionedValuesTable("sku", tnew == null ? new long[0] : tnew) + ") t LEFT JOIN (SELECT sku, MIN(category) AS category"
                + " FROM product_properties GROUP BY sku) p ON t.sku = p.sku");
        long tnewWithoutCategory = Sql.queryLong(conn,
                "SELECT COUNT(*) FROM target_new_sku WHERE category IS NULL", 0);

        Set<String> available = new HashSet<>();
        if (tcat != null) {
            available.add("tcat");
        }
        if (tsku != null) {
            available.add("tsku");
        }
        if (tnew != null) {
            available.add("tnew");
        }
        List<SqlResources.Step> steps = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        Map<String, String> expanded = new LinkedHashMap<>();
        for (SqlResources.Step s : SqlResources.manifest(cfg.set())) {
            if (s.needs() != null && !available.contains(s.needs())) {
                skipped.add(s.name());
                continue;
            }
            steps.add(s);
            expanded.put(s.name(), tpl.expand(SqlResources.read(cfg.set(), s.name() + ".sql"), s.name() + ".sql"));
        }
        List<String> prepTables = new ArrayList<>();
        List<String> groups = new ArrayList<>();
        for (SqlResources.Step s : steps) {
            (s.isPrep() ? prepTables : groups).add(s.name());
        }
        if (!groups.contains("counts")) {
            throw new UnexpectedStateException("the full set needs its counts group (it marks clients with history)");
        }

        Map<String, Double> stepSeconds = new LinkedHashMap<>();
        Map<String, List<String>> groupColumns = new LinkedHashMap<>();
        Map<String, String> defaults = new LinkedHashMap<>();
        long events = 0;
        long clients = 0;
        long noHistory = 0;
        List<String> names = null;
        try (Progress bar = new Progress("features full", (long) chunks * steps.size(), "steps")) {
            for (int k = 0; k < chunks; k++) {
                boolean first = k == 0;
                String chunkSql = "CREATE OR REPLACE TABLE feature_clients AS SELECT DISTINCT client_id FROM "
                        + "relevant_clients" + (chunks > 1 ? " WHERE ((client_id % " + chunks + ") + " + chunks + ") % "
                        + chunks + " = " + k : "");
                exec("feature_clients", chunkSql);
                log(first, "-- feature_clients: the relevant clients of this chunk", chunkSql);
                for (SqlResources.Step s : steps) {
                    bar.status(s.name());
                    long st0 = System.nanoTime();
                    String body = expanded.get(s.name());
                    if (s.isPrep()) {
                        String sql = "CREATE OR REPLACE TABLE " + s.name() + " AS\n" + body;
                        exec(s.name(), sql);
                        log(first, null, sql);
                        if (s.name().equals("ev")) {
                            events += Sql.queryLong(conn, "SELECT COUNT(*) FROM ev", 0);
                        }
                    } else {
                        if (first) {
                            groupColumns.put(s.name(), groupColumns(s.name(), body, groupColumns));
                            defaults.putAll(defaults(body, groupColumns.get(s.name())));
                        }
                        StringBuilder sql = new StringBuilder("CREATE OR REPLACE TABLE g_" + s.name()
                                + " AS SELECT client_id");
                        for (String c : groupColumns.get(s.name())) {
                            sql.append(", CAST(").append(c).append(" AS REAL) AS ").append(c);
                        }
                        sql.append(" FROM (\n").append(body).append("\n) s");
                        exec(s.name(), sql.toString());
                        log(first, null, sql.toString());
                    }
                    stepSeconds.merge(s.name(), (System.nanoTime() - st0) / 1e9, Double::sum);
                    bar.add(1);
                }
                for (String p : prepTables) {
                    exec("drop " + p, "DROP TABLE " + p);
                }
                String assembly = assembly(groups, groupColumns, defaults);
                log(first, "-- assembly: one row per client, defaults for clients a group has no row for", assembly);
                if (first) {
                    names = new ArrayList<>();
                    names.add("no_history");
                    for (List<String> cols : groupColumns.values()) {
                        names.addAll(cols);
                    }
                    sink.begin(names);
                }
                long st0 = System.nanoTime();
                long[] counted = stream(assembly, names.size(), sink);
                stepSeconds.merge("assembly", (System.nanoTime() - st0) / 1e9, Double::sum);
                clients += counted[0];
                noHistory += counted[1];
                for (String g : groups) {
                    exec("drop g_" + g, "DROP TABLE g_" + g);
                }
            }
        }
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("cutoff", cutoff);
        info.put("horizon_days", horizon);
        info.put("events", events);
        info.put("clients", clients);
        info.put("clients_without_history", noHistory);
        info.put("chunks", chunks);
        info.put("query_codes", qcodes);
        info.put("target_category_list", tcat == null ? "absent: tcat group skipped" : tcat.length + " categories");
        info.put("target_sku_list", tsku == null ? "absent: tsku group skipped" : tsku.length + " skus");
        info.put("target_new_sku_list", tnew == null ? "absent: tnew group skipped" : tnew.length + " skus"
                + (tnewWithoutCategory > 0 ? ", " + tnewWithoutCategory + " without a category in product_properties"
                        + " (their tnew columns are 0)" : ""));
        info.put("skipped_groups", skipped);
        info.put("groups", new ArrayList<>(groupColumns.keySet()));
        Map<String, Object> rounded = new LinkedHashMap<>();
        stepSeconds.forEach((k, v) -> rounded.put(k, Math.round(v * 100) / 100.0));
        info.put("step_seconds", rounded);
        return info;
    }

    private void exec(String what, String sql) {
        Sql.exec(conn, store.dataDir().root(), what, sql);
    }

    private void log(boolean first, String comment, String sql) {
        if (!first) {
            return;
        }
        if (comment != null) {
            sqlLog.append(comment).append('\n');
        }
        sqlLog.append(sql.strip()).append(";\n\n");
    }

    private List<String> groupColumns(String group, String body, Map<String, List<String>> seen) {
        List<String> cols = Sql.columns(conn, group, body);
        if (cols.isEmpty() || !cols.get(0).equals("client_id")) {
            throw new UnexpectedStateException("feature group " + group + " must select client_id first, found " + cols);
        }
        List<String> out = new ArrayList<>(cols.subList(1, cols.size()));
        Set<String> all = new LinkedHashSet<>();
        all.add("no_history");
        for (List<String> l : seen.values()) {
            all.addAll(l);
        }
        for (String c : out) {
            if (!c.matches("[a-z][a-z0-9_]*")) {
                throw new UnexpectedStateException("feature group " + group + ": bad feature name '" + c + "'");
            }
            if (!all.add(c)) {
                throw new UnexpectedStateException("feature group " + group + ": feature name '" + c + "' repeats");
            }
        }
        return out;
    }

    /** Per-column defaults declared in a group by {@code -- @default glob=value} lines; the rest default to 0. */
    static Map<String, String> defaults(String body, List<String> cols) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = DEFAULT.matcher(body);
        while (m.find()) {
            Pattern glob = Pattern.compile(m.group(1).replace("*", "[a-z0-9_]*"));
            Double.parseDouble(m.group(2));
            for (String c : cols) {
                if (glob.matcher(c).matches()) {
                    out.put(c, m.group(2));
                }
            }
        }
        return out;
    }

    private static String assembly(List<String> groups, Map<String, List<String>> cols, Map<String, String> defaults) {
        StringBuilder sb = new StringBuilder("SELECT f.client_id\n  , CASE WHEN g_counts.client_id IS NULL THEN 1.0 ELSE 0.0 END AS no_history");
        for (String g : groups) {
            for (String c : cols.get(g)) {
                sb.append("\n  , CAST(COALESCE(g_").append(g).append('.').append(c).append(", ")
                        .append(defaults.getOrDefault(c, "0")).append(") AS REAL) AS ").append(c);
            }
        }
        sb.append("\nFROM feature_clients f");
        for (String g : groups) {
            sb.append("\nLEFT JOIN g_").append(g).append(" ON f.client_id = g_").append(g).append(".client_id");
        }
        return sb.append("\nORDER BY f.client_id").toString();
    }

    /** Streams the assembly into the sink; returns {clients, clients without history}. */
    private long[] stream(String sql, int width, RowSink sink) {
        float[] row = new float[width];
        long n = 0;
        long empty = 0;
        try (Connection streaming = store.streamingConnection(); Statement st = streaming.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                long id = rs.getLong(1);
                for (int j = 0; j < width; j++) {
                    row[j] = rs.getFloat(j + 2);
                }
                if (row[0] == 1f) {
                    empty++;
                }
                sink.row(id, row);
                n++;
            }
        } catch (SQLException e) {
            throw EventStore.failure(store.dataDir().root(), "assemble the feature rows", e);
        }
        return new long[] {n, empty};
    }

    private SqlTemplate template(String cutoff, double horizon, long[] tcat, long[] tsku, long[] tnew, int qcodes) {
        SqlTemplate t = new SqlTemplate()
                .param("cutoff", cutoff)
                .param("horizon_days", fmt(horizon))
                .param("decay_days", fmt(cfg.decayDays()))
                .param("buy_decay_days", fmt(cfg.buyDecayDays()))
                .param("session_gap_minutes", cfg.sessionGapMinutes())
                .param("query_codes", qcodes);
        List<SqlTemplate.Item> types = new ArrayList<>();
        for (int code = 0; code < TYPE_NAMES.size(); code++) {
            types.add(SqlTemplate.Item.of(TYPE_NAMES.get(code), "code", String.valueOf(code), "cond",
                    "event_type = " + code));
        }
        List<SqlTemplate.Item> typesAny = new ArrayList<>(types);
        typesAny.add(SqlTemplate.Item.of("any", "code", "-1", "cond", "1 = 1"));
        t.list("types", types).list("types_any", typesAny).list("product_types", types.subList(0, 3))
                .list("buy_add", types.subList(0, 2))
                .list("per_visit", List.of(types.get(0), types.get(1), types.get(4)))
                .values("windows", cfg.windows()).values("trend_windows", cfg.trendWindows());
        List<Integer> hours = new ArrayList<>();
        for (int h = 0; h < 24; h++) {
            hours.add(h);
        }
        t.values("hours", hours).values("dows", List.of(0, 1, 2, 3, 4, 5, 6));
        List<SqlTemplate.Item> bins = new ArrayList<>();
        for (int b = 0; b < 5; b++) {
            bins.add(SqlTemplate.Item.of(String.valueOf(b), "lo", String.valueOf(b * 20), "hi", String.valueOf(b * 20 + 19)));
        }
        t.list("price_bins", bins);
        List<SqlTemplate.Item> codes = new ArrayList<>();
        for (int c = 0; c < qcodes; c++) {
            codes.add(SqlTemplate.Item.of(String.valueOf(c), "pos", String.valueOf(c + 1)));
        }
        t.list("qcodes", codes);
        t.list("tcat", ids(tcat)).list("tsku", ids(tsku)).list("tnew", ids(tnew));
        return t;
    }

    private static List<SqlTemplate.Item> ids(long[] list) {
        List<SqlTemplate.Item> out = new ArrayList<>();
        if (list != null) {
            for (int i = 0; i < list.length; i++) {
                out.add(SqlTemplate.Item.of(String.valueOf(i), "id", String.valueOf(list[i])));
            }
        }
        return out;
    }

    static String fmt(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) + ".0" : String.valueOf(d);
    }

    /** A target list from target/ with repeats removed (order kept), or null when the file is absent. */
    static long[] targetList(ChallengeDataDir data, Task task) {
        java.nio.file.Path f = data.targetListFile(task);
        if (!Files.isRegularFile(f)) {
            return null;
        }
        return java.util.Arrays.stream(Npy.readLongs(f)).distinct().toArray();
    }

    /** How many codes a query string holds (parsed from the first query; 16 when there is none). */
    static int queryCodes(Connection conn) {
        String q = Sql.queryString(conn, "SELECT query FROM search_query WHERE query IS NOT NULL LIMIT 1");
        if (q == null) {
            return DEFAULT_QUERY_CODES;
        }
        String inner = q.replace("[", " ").replace("]", " ").strip();
        return inner.isEmpty() ? DEFAULT_QUERY_CODES : inner.split("\\s+").length;
    }
}
