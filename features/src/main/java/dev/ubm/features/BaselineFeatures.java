package dev.ubm.features;

import dev.ubm.core.Progress;
import dev.ubm.core.UnexpectedStateException;
import dev.ubm.data.EventStore;
import dev.ubm.data.Float16;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The organisers' aggregated-features baseline ({@code baseline/aggregated_features_baseline} in Synerise/recsys2025),
 * reproduced in SQL. Per event type, in the block order buy, search, add, remove, visit: the total event count, then
 * for each window of {@code --num-days} days before that type's own latest event, the counts of the client's events
 * carrying each of the type's top-n sku, category and price values (url for visits); for searches the mean of each
 * query code. Values are rounded to float16 as the organisers store them. Deliberate differences, all invisible on
 * the real data: every relevant client gets a row (zeros without events), a column with fewer than top-n distinct
 * values is padded with zero columns (so the width is always 320 with the defaults), ties in value frequency go to
 * the smaller value, and a window counts the events whose timestamp lies in it (the organisers' code takes the
 * client's last rows in file order, the same when a client's events are stored in time order).
 */
final class BaselineFeatures {
    /** Event type codes in the organisers' block order: buy, search, add, remove, visit. */
    static final int[] BLOCK_ORDER = {0, 4, 1, 2, 3};
    private static final String[] PRODUCT_COLUMNS = {"sku", "category", "price"};

    private final EventStore store;
    private final FeatureConfig cfg;
    private final Connection conn;
    private final StringBuilder sqlLog = new StringBuilder();

    BaselineFeatures(EventStore store, FeatureConfig cfg) {
        this.store = store;
        this.cfg = cfg;
        this.conn = store.connection();
    }

    String sqlLog() {
        return sqlLog.toString();
    }

    /** Width of a type's block. */
    static int blockWidth(int typeCode, int topN, int windows, int queryCodes) {
        return switch (typeCode) {
            case 0, 1, 2 -> 1 + PRODUCT_COLUMNS.length * topN * windows;
            case 3 -> 1 + topN * windows;
            case 4 -> queryCodes;
            default -> throw new IllegalArgumentException("event type code " + typeCode);
        };
    }

    Map<String, Object> run(int chunks, RowSink sink) {
        int topN = cfg.topN();
        List<Integer> days = cfg.numDays();
        int qcodes = FullFeatures.queryCodes(conn);
        SqlTemplate tpl = new SqlTemplate().param("top_n", topN).param("query_codes", qcodes);
        List<SqlTemplate.Item> codes = new ArrayList<>();
        for (int c = 0; c < qcodes; c++) {
            codes.add(SqlTemplate.Item.of(String.valueOf(c), "pos", String.valueOf(c + 1)));
        }
        tpl.list("qcodes", codes);

        // layout: offset of each type's block and its number of value columns
        int[] off = new int[5];
        int dims = 0;
        List<String> names = new ArrayList<>();
        StringBuilder layout = new StringBuilder("SELECT * FROM (VALUES ");
        for (int b = 0; b < BLOCK_ORDER.length; b++) {
            int t = BLOCK_ORDER[b];
            off[t] = dims;
            dims += blockWidth(t, topN, days.size(), qcodes);
            String type = FullFeatures.TYPE_NAMES.get(t);
            if (t == 4) {
                for (int c = 0; c < qcodes; c++) {
                    names.add("search_query_mean_" + c);
                }
                continue;
            }
            String[] cols = t == 3 ? new String[] {"url"} : PRODUCT_COLUMNS;
            layout.append(b == 0 ? "" : ", ").append('(').append(t).append(", ").append(off[t]).append(", ")
                    .append(cols.length).append(')');
            names.add(type + "_count");
            for (int d : days) {
                for (String col : cols) {
                    for (int r = 0; r < topN; r++) {
                        names.add(type + "_" + d + "d_" + col + "_top" + r);
                    }
                }
            }
        }
        layout.append(") t(event_type, off, ncols)");
        StringBuilder windows = new StringBuilder("SELECT * FROM (VALUES ");
        for (int i = 0; i < days.size(); i++) {
            windows.append(i == 0 ? "" : ", ").append('(').append(i).append(", ").append(days.get(i)).append(')');
        }
        windows.append(") t(widx, days)");

        exec("bl_ev", "CREATE OR REPLACE VIEW bl_ev AS\n" + read("bl_ev", tpl));
        exec("bl_layout", "CREATE OR REPLACE TABLE bl_layout AS " + layout);
        exec("bl_windows", "CREATE OR REPLACE TABLE bl_windows AS " + windows);
        exec("bl_max", "CREATE OR REPLACE TABLE bl_max AS\n" + read("bl_max", tpl));
        exec("bl_top", "CREATE OR REPLACE TABLE bl_top AS\n" + read("bl_top", tpl));
        exec("bl_start", "CREATE OR REPLACE TABLE bl_start AS\n" + read("bl_start", tpl));
        Map<String, Object> topValues = topValues();
        String countsSql = read("bl_counts", tpl);
        String querySql = read("bl_query", tpl);

        float[] row = new float[dims];
        long events = 0;
        long clients = 0;
        long noHistory = 0;
        long clamped = 0;
        sink.begin(names);
        try (Progress bar = new Progress("features baseline", chunks, "chunks")) {
            for (int k = 0; k < chunks; k++) {
                boolean first = k == 0;
                exec("feature_clients", "CREATE OR REPLACE TABLE feature_clients AS SELECT DISTINCT client_id FROM "
                        + "relevant_clients" + (chunks > 1 ? " WHERE ((client_id % " + chunks + ") + " + chunks + ") % "
                        + chunks + " = " + k : ""), first);
                exec("bl_chunk", "CREATE OR REPLACE TABLE bl_chunk AS\n" + read("bl_chunk", tpl), first);
                events += Sql.queryLong(conn, "SELECT COUNT(*) FROM bl_chunk WHERE col_idx = 0", 0)
                        + Sql.queryLong(conn, "SELECT COUNT(*) FROM search_query WHERE client_id IN "
                                + "(SELECT client_id FROM feature_clients)", 0);
                log(first, countsSql);
                log(first, querySql);
                try (Connection c1 = store.streamingConnection(); Connection c2 = store.streamingConnection();
                        Connection c3 = store.streamingConnection();
                        Statement s1 = c1.createStatement(); Statement s2 = c2.createStatement();
                        Statement s3 = c3.createStatement();
                        ResultSet ids = s1.executeQuery("SELECT client_id FROM feature_clients ORDER BY client_id");
                        ResultSet cnt = s2.executeQuery(countsSql);
                        ResultSet qry = s3.executeQuery(querySql)) {
                    boolean hasCnt = cnt.next();
                    boolean hasQry = qry.next();
                    while (ids.next()) {
                        long id = ids.getLong(1);
                        Arrays.fill(row, 0f);
                        boolean any = false;
                        while (hasCnt && cnt.getLong(1) < id) {
                            hasCnt = cnt.next();
                        }
                        while (hasCnt && cnt.getLong(1) == id) {
                            row[cnt.getInt(2)] = cnt.getFloat(3);
                            any = true;
                            hasCnt = cnt.next();
                        }
                        while (hasQry && qry.getLong(1) < id) {
                            hasQry = qry.next();
                        }
                        if (hasQry && qry.getLong(1) == id) {
                            for (int c = 0; c < qcodes; c++) {
                                row[off[4] + c] = qry.getFloat(c + 2);
                            }
                            any = true;
                            hasQry = qry.next();
                        }
                        for (int j = 0; j < dims; j++) {
                            float v = row[j];
                            if (Math.abs(v) > Float16.MAX) {
                                v = Math.copySign(Float16.MAX, v);
                                clamped++;
                            }
                            row[j] = Float16.toFloat(Float16.fromFloat(v));
                        }
                        if (!any) {
                            noHistory++;
                        }
                        clients++;
                        sink.row(id, row);
                    }
                } catch (SQLException e) {
                    throw EventStore.failure(store.dataDir().root(), "compute the baseline features", e);
                }
                exec("drop bl_chunk", "DROP TABLE bl_chunk", false);
                bar.add(1);
            }
        }
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("cutoff", FullFeatures.TS.format(store.cutoff()));
        info.put("events", events);
        info.put("clients", clients);
        info.put("clients_without_history", noHistory);
        info.put("chunks", chunks);
        info.put("query_codes", qcodes);
        info.put("values_clamped_to_float16_max", clamped);
        info.put("block_order", List.of("product_buy", "search_query", "add_to_cart", "remove_from_cart", "page_visit"));
        info.put("top_values", topValues);
        return info;
    }

    /** The chosen top values and each type's max timestamp, for block.json. */
    private Map<String, Object> topValues() {
        Map<String, Object> out = new LinkedHashMap<>();
        try (Statement st = conn.createStatement();
                ResultSet rs = st.executeQuery("SELECT t.event_type, t.col_idx, t.v, CAST(m.max_ts AS VARCHAR) "
                        + "FROM bl_top t JOIN bl_max m ON t.event_type = m.event_type "
                        + "ORDER BY t.event_type, t.col_idx, t.rnk")) {
            while (rs.next()) {
                int t = rs.getInt(1);
                String type = FullFeatures.TYPE_NAMES.get(t);
                String col = t == 3 ? "url" : PRODUCT_COLUMNS[rs.getInt(2)];
                @SuppressWarnings("unchecked")
                Map<String, Object> m = (Map<String, Object>) out.computeIfAbsent(type, x -> new LinkedHashMap<>());
                m.putIfAbsent("max_timestamp", rs.getString(4));
                @SuppressWarnings("unchecked")
                List<Object> vals = (List<Object>) m.computeIfAbsent(col, x -> new ArrayList<>());
                vals.add(rs.getLong(3));
            }
        } catch (SQLException e) {
            throw new UnexpectedStateException("cannot read the baseline's top values: " + e.getMessage(), e);
        }
        return out;
    }

    private String read(String name, SqlTemplate tpl) {
        return tpl.expand(SqlResources.read(cfg.set(), name + ".sql"), name + ".sql");
    }

    private void exec(String what, String sql) {
        exec(what, sql, true);
    }

    private void exec(String what, String sql, boolean log) {
        Sql.exec(conn, store.dataDir().root(), what, sql);
        log(log, sql);
    }

    private void log(boolean log, String sql) {
        if (log) {
            sqlLog.append(sql.strip()).append(";\n\n");
        }
    }
}
