package dev.ubm.data.synth;

import dev.ubm.core.BlockDir;
import dev.ubm.core.ChallengeDataDir;
import dev.ubm.core.Fingerprint;
import dev.ubm.core.Json;
import dev.ubm.data.Npy;
import dev.ubm.data.RelevantClients;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/**
 * Headroom experiments on a synthetic world (bench only, never on the product's classpath): blocks built from what
 * the generator planted, to ask whether a task can move at all when a vector knows it. In package
 * {@code dev.ubm.data.synth} to read the catalog the world was drawn from (package-private).
 *
 * <pre>
 *   circles     DATA OUT   per relevant client, the share of its input product events (buy, add, remove) in each
 *                          co-purchase circle the structured profile dealt the catalog into (the circles themselves,
 *                          as no block can know them better), one column per circle
 *   transitions DATA OUT   per relevant client and listed target category: sum over its last 5 category runs
 *                          (0.5^(k-1)) of P(next run's category = target | run's category), estimated on all
 *                          clients' input events (the structured profile's drift, as a first-order chain)
 *   activity    DATA OUT   one column: log(1 + the client's count of input product events)
 *   newsku      DATA       the new-sku task's label counts (labels with a buyer among the relevant clients in each
 *                          target window), the share of validation buys in the buyer's dominant circle (worlds with
 *                          circles), and the
 *                          per-label AUROC of one activity count over the relevant clients
 * </pre>
 * The world's config is read from DATA/run.json (the synth stage's).
 */
public final class Headroom {
    private Headroom() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            throw new IllegalArgumentException("usage: Headroom circles|transitions|activity DATA OUT | newsku DATA");
        }
        Path data = Path.of(args[1]);
        switch (args[0]) {
            case "circles" -> circles(data, Path.of(args[2]));
            case "transitions" -> transitions(data, Path.of(args[2]));
            case "activity" -> writeBlock(data, Path.of(args[2]), "activity", 1,
                    "SELECT client_id, 0, LN(1 + COUNT(*)) FROM " + productEvents(data) + " GROUP BY client_id");
            case "newsku" -> newSku(data);
            default -> throw new IllegalArgumentException("unknown experiment " + args[0]);
        }
    }

    private static Catalog catalogWithCircles(Path data) throws Exception {
        Catalog cat = anyCatalog(data);
        if (cat.nCircles == 0) {
            throw new IllegalArgumentException(data + " is a " + cat.profile.label() + " world: it has no circles");
        }
        return cat;
    }

    private static Catalog anyCatalog(Path data) throws Exception {
        @SuppressWarnings("unchecked")
        Map<String, Object> config = (Map<String, Object>) Json.parseObject(Files.readString(data.resolve("run.json")))
                .get("config");
        return new Catalog(SynthConfig.fromMap(config));
    }

    /** Writes the table sku -> circle of the world's catalog as CSV (for DuckDB) into {@code dir}. */
    private static Path circleCsv(Catalog cat, Path dir) throws Exception {
        Path csv = dir.resolve("circles.csv");
        StringBuilder sb = new StringBuilder("sku,circle\n");
        for (int s = 0; s < cat.nSku; s++) {
            sb.append(cat.skuId[s]).append(',').append(cat.skuCircle[s]).append('\n');
        }
        Files.writeString(csv, sb);
        return csv;
    }

    private static String productEvents(Path data) {
        String in = data.resolve("input").toString();
        return "(SELECT client_id, CAST(timestamp AS TIMESTAMP) ts, sku FROM '" + in + "/product_buy.parquet' UNION ALL "
                + "SELECT client_id, CAST(timestamp AS TIMESTAMP), sku FROM '" + in + "/add_to_cart.parquet' UNION ALL "
                + "SELECT client_id, CAST(timestamp AS TIMESTAMP), sku FROM '" + in + "/remove_from_cart.parquet')";
    }

    private static void circles(Path data, Path out) throws Exception {
        Catalog cat = catalogWithCircles(data);
        Path csv = circleCsv(cat, Files.createTempDirectory("headroom"));
        String sql = "SELECT client_id, circle, COUNT(*) * 1.0 / SUM(COUNT(*)) OVER (PARTITION BY client_id) FROM "
                + productEvents(data) + " JOIN read_csv('" + csv + "') USING (sku) GROUP BY client_id, circle";
        writeBlock(data, out, "circles", cat.nCircles, sql);
    }

    private static void transitions(Path data, Path out) throws Exception {
        long[] cats = Npy.readLongs(data.resolve("target/propensity_category.npy"));
        StringBuilder sb = new StringBuilder("idx,category\n");
        for (int i = 0; i < cats.length; i++) {
            sb.append(i).append(',').append(cats[i]).append('\n');
        }
        Path csv = Files.createTempDirectory("headroom").resolve("target_categories.csv");
        Files.writeString(csv, sb);
        // events of one second are ordered by category, then sku, so that runs and transitions do not depend on
        // the order DuckDB's threads read them in
        String sql = "WITH e AS (SELECT client_id, ts, category, sku FROM " + productEvents(data) + " JOIN '"
                + data.resolve("product_properties.parquet") + "' USING (sku)),"
                + " l AS (SELECT *, LAG(category) OVER (PARTITION BY client_id ORDER BY ts, category, sku) prev FROM e),"
                + " runs AS (SELECT client_id, ts, category, sku FROM l WHERE prev IS NULL OR prev <> category),"
                + " pairs AS (SELECT category x, LEAD(category) OVER (PARTITION BY client_id ORDER BY ts, category, sku) t"
                + "  FROM runs),"
                + " p AS (SELECT x, t, COUNT(*) * 1.0 / SUM(COUNT(*)) OVER (PARTITION BY x) p FROM pairs"
                + "  WHERE t IS NOT NULL GROUP BY x, t),"
                + " lastr AS (SELECT client_id, category x, ROW_NUMBER() OVER (PARTITION BY client_id ORDER BY ts DESC, category DESC, sku DESC) rk"
                + "  FROM runs QUALIFY rk <= 5)"
                + " SELECT client_id, idx, SUM(POW(0.5, rk - 1) * p) FROM lastr JOIN p USING (x)"
                + " JOIN read_csv('" + csv + "') tc ON tc.category = p.t GROUP BY client_id, idx";
        writeBlock(data, out, "transitions", cats.length, sql);
    }

    /**
     * Runs {@code sql} (rows: client_id, column, value) into a float32 block over the relevant clients, published
     * as ubm's stages publish theirs ({@link BlockDir#build()}).
     */
    private static void writeBlock(Path data, Path out, String component, int cols, String sql) throws Exception {
        long t0 = System.nanoTime();
        long[] relevant = RelevantClients.read(data.resolve("input/relevant_clients.npy"));
        Map<Long, Integer> row = new HashMap<>();
        for (int i = 0; i < relevant.length; i++) {
            row.put(relevant[i], i);
        }
        float[] m = new float[relevant.length * cols];
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                Integer r = row.get(rs.getLong(1));
                if (r != null) {
                    m[r * cols + rs.getInt(2)] = rs.getFloat(3);
                }
            }
        }
        try (BlockDir.Build build = new BlockDir(out).build()) {
            Npy.writeLongs(build.block().clientIdsFile(), relevant);
            Npy.writeFloat32(build.block().embeddingsFile(), m, relevant.length, cols);
            build.publish(BlockDir.Meta.of(component, cols, relevant.length, "float32",
                    Map.of("experiment", "bench/headroom " + component), 0, Fingerprint.of(data.resolve("input")),
                    (System.nanoTime() - t0) / 1e9).withEvents(ChallengeDataDir.EVENTS_INPUT));
        }
        System.out.printf("%s: %d clients x %d columns -> %s%n", component, relevant.length, cols, out);
    }

    private static void newSku(Path data) throws Exception {
        Catalog cat = anyCatalog(data);
        Path circles = cat.nCircles == 0 ? null : circleCsv(cat, Files.createTempDirectory("headroom"));
        long[] skus = Npy.readLongs(data.resolve("target/propensity_new_sku.npy"));
        long[] relevant = Npy.readLongs(data.resolve("input/relevant_clients.npy"));
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE rel (client_id BIGINT)");
            st.execute("CREATE TABLE n (idx INTEGER, sku BIGINT)");
            try (var a = ((org.duckdb.DuckDBConnection) c).createAppender("main", "rel")) {
                for (long r : relevant) {
                    a.beginRow();
                    a.append(r);
                    a.endRow();
                }
            }
            try (var a = ((org.duckdb.DuckDBConnection) c).createAppender("main", "n")) {
                for (int i = 0; i < skus.length; i++) {
                    a.beginRow();
                    a.append(i);
                    a.append(skus[i]);
                    a.endRow();
                }
            }
            String t = data.resolve("target").toString();
            st.execute("CREATE TABLE val AS SELECT DISTINCT client_id, idx, sku FROM '" + t
                    + "/validation_target.parquet' JOIN n USING (sku) JOIN rel USING (client_id)");
            st.execute("CREATE TABLE tr AS SELECT DISTINCT client_id, idx FROM '" + t
                    + "/train_target.parquet' JOIN n USING (sku) JOIN rel USING (client_id)");
            print(st, "SELECT " + skus.length + " AS listed, (SELECT COUNT(DISTINCT idx) FROM val) AS with_validation_buyer,"
                    + " (SELECT COUNT(DISTINCT idx) FROM tr) AS with_train_buyer,"
                    + " (SELECT COUNT(DISTINCT idx) FROM val WHERE idx NOT IN (SELECT idx FROM tr)) AS validation_only,"
                    + " (SELECT COUNT(*) FROM val) AS validation_pairs, (SELECT COUNT(*) FROM tr) AS train_pairs");
            st.execute("CREATE TABLE ev AS SELECT * FROM " + productEvents(data) + " WHERE client_id IN (SELECT client_id FROM rel)");
            if (circles != null) {
                circleShare(st, circles, cat.nCircles);
            }
            // one count for every relevant client: its input product events; AUROC per label with tied ranks averaged
            st.execute("CREATE TABLE s AS SELECT client_id, COALESCE(k, 0) a FROM rel LEFT JOIN"
                    + " (SELECT client_id, COUNT(*) k FROM ev GROUP BY ALL) USING (client_id)");
            st.execute("CREATE TABLE rk AS SELECT client_id, (2 * RANK() OVER (ORDER BY a) + COUNT(*) OVER (PARTITION BY a) - 1)"
                    + " / 2.0 r FROM s");
            print(st, "SELECT COUNT(*) AS labels, AVG(auc) AS mean_auroc_of_activity_count FROM (SELECT idx,"
                    + " (SUM(r) - COUNT(*) * (COUNT(*) + 1) / 2.0) / (COUNT(*) * (" + relevant.length + " - COUNT(*))) auc"
                    + " FROM (SELECT DISTINCT client_id, idx FROM val) JOIN rk USING (client_id) GROUP BY idx)");
        }
    }

    /** How many validation buys fall in the circle that holds most of the buyer's input product events. */
    private static void circleShare(Statement st, Path circles, int nCircles) throws SQLException {
        // the circle holding most of the client's product events (ties: the lowest circle number)
        st.execute("CREATE TABLE dom AS SELECT client_id, circle FROM (SELECT client_id, circle, COUNT(*) k FROM ev"
                + " JOIN read_csv('" + circles + "') USING (sku) GROUP BY ALL)"
                + " QUALIFY ROW_NUMBER() OVER (PARTITION BY client_id ORDER BY k DESC, circle) = 1");
        print(st, "SELECT COUNT(*) AS validation_buys, SUM(CASE WHEN d.circle = c.circle THEN 1 ELSE 0 END)"
                + " AS in_buyers_dominant_circle, SUM(CASE WHEN d.circle IS NULL THEN 1 ELSE 0 END) AS buyer_without_product_events,"
                + " 1.0 / " + nCircles + " AS one_over_circles FROM val JOIN read_csv('" + circles
                + "') c USING (sku) LEFT JOIN dom d USING (client_id)");
    }

    private static void print(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                for (int i = 1; i <= n; i++) {
                    System.out.printf("%s=%s%s", rs.getMetaData().getColumnName(i), rs.getString(i), i < n ? "  " : "\n");
                }
            }
        }
    }
}
