package dev.ubm.gnn;

import dev.ubm.core.Progress;
import dev.ubm.core.UnexpectedStateException;
import dev.ubm.data.Duck;
import dev.ubm.data.EventStore;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Builds the behaviour {@link Graph} with SQL over an {@link EventStore}. Node ids are dense ranks of the natural
 * keys (client_id, sku, category, url, query prefix, price bucket), so the same input gives the same graph;
 * client edges aggregate a pair's events into one edge whose weight is the time-decayed count relative to the
 * store's cutoff. Everything heavy (dedup, joins, aggregation, sorting) stays in DuckDB; Java only receives the
 * final int/float columns.
 */
public final class GraphBuilder {
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

    private final EventStore store;
    private final GraphConfig cfg;
    private final Consumer<String> log;
    private final Connection conn;
    private Progress bar;

    private GraphBuilder(EventStore store, GraphConfig cfg, Consumer<String> log) {
        this.store = store;
        this.cfg = cfg;
        this.log = log == null ? s -> { } : log;
        this.conn = store.connection();
    }

    /** Builds the graph of a store's events (temporary tables are dropped afterwards). */
    public static Graph build(EventStore store, GraphConfig cfg, Consumer<String> log) {
        GraphBuilder b = new GraphBuilder(store, cfg, log);
        try {
            return b.build();
        } finally {
            for (String t : new String[] {"gnn_client", "gnn_sku", "gnn_props", "gnn_category", "gnn_price",
                "gnn_url", "gnn_query", "gnn_edges"}) {
                Duck.exec(b.conn, "DROP TABLE IF EXISTS " + t);
            }
            Duck.exec(b.conn, "DROP VIEW IF EXISTS gnn_search");
        }
    }

    private Graph build() {
        try (Progress bar = new Progress("graph", 0, "steps")) {
            this.bar = bar;
            return buildSteps();
        } finally {
            this.bar = null;
        }
    }

    /** Marks one SQL step of the build as done (a line per step: a large graph takes minutes to build). */
    private void step(String what) {
        if (bar != null) {
            bar.status("built " + what);
            bar.add(1);
        }
    }

    private Graph buildSteps() {
        long t0 = System.nanoTime();
        LocalDateTime cutoff = store.cutoff();
        String decay = "exp(-ln(2) * (epoch(TIMESTAMP '" + TS.format(cutoff) + "') - epoch(e.timestamp)) / (86400.0 * "
                + cfg.halfLifeDays() + "))";
        Map<NodeType, Integer> counts = new EnumMap<>(NodeType.class);
        Map<Relation, EdgeList> edges = new EnumMap<>(Relation.class);

        List<String> clientEventSql = new ArrayList<>();
        List<String> productEventSql = new ArrayList<>();
        List<String> productEventTsSql = new ArrayList<>();
        for (Relation r : cfg.relations()) {
            if (r.isClientRelation() && r.eventType() != null) {
                clientEventSql.add("SELECT client_id FROM " + r.eventType().stem());
                if (r.target() == NodeType.SKU) {
                    productEventSql.add("SELECT client_id, sku FROM " + r.eventType().stem());
                    productEventTsSql.add("SELECT client_id, timestamp, sku FROM " + r.eventType().stem());
                }
            }
        }
        String clientSource = cfg.allClients() && !clientEventSql.isEmpty()
                ? "SELECT client_id FROM relevant_clients UNION SELECT client_id FROM (" + String.join(" UNION ALL ",
                        clientEventSql) + ")"
                : "SELECT DISTINCT client_id FROM relevant_clients";
        Duck.exec(conn, "CREATE OR REPLACE TEMP TABLE gnn_client AS SELECT client_id, CAST(row_number() OVER "
                + "(ORDER BY client_id) - 1 AS INTEGER) AS id FROM (" + clientSource + ") WHERE client_id IS NOT NULL");
        long[] clientIds = queryLongs("SELECT client_id FROM gnn_client ORDER BY id");
        counts.put(NodeType.CLIENT, clientIds.length);
        step("client nodes");

        long[] skuIds = null;
        if (!productEventSql.isEmpty()) {
            counts.put(NodeType.SKU, nodes("gnn_sku", "sku", "SELECT DISTINCT e.sku FROM (" + String.join(
                    " UNION ALL ", productEventSql) + ") e JOIN gnn_client c USING (client_id) WHERE e.sku IS NOT NULL"));
            skuIds = queryLongs("SELECT sku FROM gnn_sku ORDER BY id");
            step("sku nodes");
            for (Relation r : cfg.relations()) {
                if (r.isClientRelation() && r.target() == NodeType.SKU) {
                    edges.put(r, clientEdges(r.eventType().stem(), "sku", "gnn_sku", decay));
                    step(r.cliName() + " edges");
                }
            }
            boolean categories = cfg.has(Relation.SKU_CATEGORY) || cfg.has(Relation.CLIENT_CATEGORY);
            if (categories || cfg.has(Relation.SKU_PRICE)) {
                Duck.exec(conn, "CREATE OR REPLACE TEMP TABLE gnn_props AS SELECT sku, min(category) AS category, "
                        + "min(price) AS price FROM product_properties WHERE sku IN (SELECT sku FROM gnn_sku) GROUP BY sku");
            }
            if (categories) {
                counts.put(NodeType.CATEGORY, nodes("gnn_category", "category",
                        "SELECT DISTINCT category FROM gnn_props WHERE category IS NOT NULL"));
            }
            if (cfg.has(Relation.SKU_CATEGORY)) {
                edges.put(Relation.SKU_CATEGORY, attributeEdges("category", "gnn_category"));
                step("sku_category edges");
            }
            if (cfg.has(Relation.CLIENT_CATEGORY)) {
                edges.put(Relation.CLIENT_CATEGORY, clientEdges("(SELECT e.client_id, e.timestamp, p.category FROM ("
                        + String.join(" UNION ALL ", productEventTsSql) + ") e JOIN gnn_props p USING (sku))",
                        "category", "gnn_category", decay));
                step("client_category edges");
            }
            if (cfg.has(Relation.SKU_PRICE)) {
                counts.put(NodeType.PRICE, nodes("gnn_price", "price",
                        "SELECT DISTINCT price FROM gnn_props WHERE price IS NOT NULL"));
                edges.put(Relation.SKU_PRICE, attributeEdges("price", "gnn_price"));
                step("sku_price edges");
            }
        } else if (cfg.has(Relation.SKU_CATEGORY) || cfg.has(Relation.SKU_PRICE) || cfg.has(Relation.CLIENT_CATEGORY)) {
            log.accept("graph: no buy/cart relation, so no sku nodes: sku_category, sku_price and client_category "
                    + "are skipped");
        }
        if (cfg.has(Relation.VISIT)) {
            counts.put(NodeType.URL, nodes("gnn_url", "url", "SELECT e.url FROM page_visit e JOIN gnn_client c "
                    + "USING (client_id) WHERE e.url IS NOT NULL GROUP BY e.url HAVING count(DISTINCT e.client_id) >= "
                    + cfg.minItemClients()));
            step("url nodes");
            edges.put(Relation.VISIT, clientEdges("page_visit", "url", "gnn_url", decay));
            step("visit edges");
        }
        if (cfg.has(Relation.SEARCH)) {
            Duck.exec(conn, "CREATE OR REPLACE TEMP VIEW gnn_search AS SELECT client_id, timestamp, "
                    + queryKeySql("query", cfg.queryPrefix()) + " AS query FROM search_query");
            counts.put(NodeType.QUERY, nodes("gnn_query", "query", "SELECT e.query FROM gnn_search e JOIN gnn_client c "
                    + "USING (client_id) WHERE e.query IS NOT NULL AND e.query <> '' GROUP BY e.query "
                    + "HAVING count(DISTINCT e.client_id) >= " + cfg.minItemClients()));
            step("query nodes");
            edges.put(Relation.SEARCH, clientEdges("gnn_search", "query", "gnn_query", decay));
            step("search edges");
        }
        Graph g = new Graph(clientIds, skuIds, counts, edges);
        log.accept(String.format(Locale.ROOT, "graph: %s (%.1f s)", g.summary(), (System.nanoTime() - t0) / 1e9));
        return g;
    }

    /**
     * SQL for a query node key: the first k codes of a {@code "[c1 c2 ...]"} string, space-separated (queries
     * sharing a prefix of their quantised embedding land on one node).
     */
    static String queryKeySql(String column, int k) {
        return "array_to_string(list_slice(string_split_regex(trim(CAST(" + column + " AS VARCHAR), '[] '), '\\s+'), 1, "
                + k + "), ' ')";
    }

    /** Creates table {@code name(key, id)} with dense ids in key order; returns the node count. */
    private int nodes(String table, String key, String distinctKeysSql) {
        Duck.exec(conn, "CREATE OR REPLACE TEMP TABLE " + table + " AS SELECT " + key + ", CAST(row_number() OVER "
                + "(ORDER BY " + key + ") - 1 AS INTEGER) AS id FROM (" + distinctKeysSql + ")");
        return (int) queryLongs("SELECT count(*) FROM " + table)[0];
    }

    private EdgeList clientEdges(String events, String itemColumn, String nodeTable, String decay) {
        return edgesOf("SELECT c.id AS src, n.id AS dst, CAST(sum(" + decay + ") AS FLOAT) AS w FROM " + events
                + " e JOIN gnn_client c ON e.client_id = c.client_id JOIN " + nodeTable + " n ON e." + itemColumn
                + " = n." + itemColumn + " GROUP BY c.id, n.id");
    }

    private EdgeList attributeEdges(String column, String nodeTable) {
        return edgesOf("SELECT s.id AS src, n.id AS dst, CAST(1 AS FLOAT) AS w FROM gnn_sku s JOIN gnn_props p "
                + "USING (sku) JOIN " + nodeTable + " n ON p." + column + " = n." + column);
    }

    private EdgeList edgesOf(String sql) {
        Duck.exec(conn, "CREATE OR REPLACE TEMP TABLE gnn_edges AS " + sql);
        long n = queryLongs("SELECT count(*) FROM gnn_edges")[0];
        if (n > Integer.MAX_VALUE - 8) {
            throw new UnexpectedStateException("relation has too many edges for one array: " + n);
        }
        int[] src = new int[(int) n];
        int[] dst = new int[(int) n];
        float[] w = new float[(int) n];
        try (Statement st = conn.createStatement();
                ResultSet rs = st.executeQuery("SELECT src, dst, w FROM gnn_edges ORDER BY src, dst")) {
            int i = 0;
            while (rs.next()) {
                src[i] = rs.getInt(1);
                dst[i] = rs.getInt(2);
                w[i] = rs.getFloat(3);
                i++;
            }
            if (i != n) {
                throw new UnexpectedStateException("edge count changed while reading: " + i + " != " + n);
            }
        } catch (SQLException e) {
            throw EventStore.failure(store.dataDir(), "read the graph edges", e);
        }
        Duck.exec(conn, "DROP TABLE gnn_edges");
        return new EdgeList(src, dst, w);
    }

    private long[] queryLongs(String sql) {
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            long[] out = new long[16];
            int n = 0;
            while (rs.next()) {
                if (n == out.length) {
                    out = java.util.Arrays.copyOf(out, out.length * 2);
                }
                out[n++] = rs.getLong(1);
            }
            return java.util.Arrays.copyOf(out, n);
        } catch (SQLException e) {
            throw EventStore.failure(store.dataDir(), "build the graph", e);
        }
    }
}
