package dev.ubm.data.synth;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ubm.core.Progress;
import dev.ubm.data.Duck;
import dev.ubm.data.Npy;
import dev.ubm.data.SplitWindows;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The oracle is a ceiling: on a tiny world of each profile its AUROC against the realised validation labels beats
 * strong simple predictors built from the input (recency and buy counts for churn and conversion; the client's past
 * buys and cart adds of the label, of its category, for the propensity tasks) on every task, and beats the old
 * oracle (the share of the K futures in which the label is 1, read from oracle/futures.parquet) on the sku, category
 * and price tasks, where that share ties most clients at 0. (On churn and conversion the two are equally good
 * estimates of the same probability, and the tiny world has too few new skus with a buyer to tell them apart.)
 */
class OracleTest {
    static final long SEED = 5;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void quiet() {
        Progress.setEnabled(false);
    }

    @ParameterizedTest
    @EnumSource(Profile.class)
    void oracleBeatsSimplePredictorsOnEveryTaskAndTheSampledShareOnSkuCategoryAndPrice(Profile profile) throws Exception {
        SynthConfig cfg = SynthConfig.tiny(SEED).withProfile(profile);
        Path world = tmp.resolve(profile.label());
        SyntheticWorld.generate(cfg, world);
        Map<String, double[]> auc = Scores.all(world, cfg);
        StringBuilder sb = new StringBuilder(profile.label() + ": task oracle sampled-share best-simple\n");
        auc.forEach((t, a) -> sb.append(String.format("%-10s %.4f %.4f %.4f%n", t, a[0], a[1], a[2])));
        System.out.println(sb);
        for (Map.Entry<String, double[]> e : auc.entrySet()) {
            double[] a = e.getValue();
            assertTrue(a[0] > a[2], e.getKey() + ": oracle does not beat the simple predictors\n" + sb);
            if (e.getKey().equals("sku") || e.getKey().equals("category") || e.getKey().equals("price")) {
                assertTrue(a[0] > a[1], e.getKey() + ": oracle does not beat the sampled share\n" + sb);
            }
        }
    }

    /** AUROCs of the oracle, the sampled share and the best simple predictor per task. */
    static final class Scores {
        private Scores() {
        }

        static Map<String, double[]> all(Path world, SynthConfig cfg) throws SQLException {
            long[] rel = Npy.readLongs(world.resolve("input/relevant_clients.npy"));
            Arrays.sort(rel);
            Oracle oracle = Oracle.open(world);
            String val = oracle.validationStart().format(SplitWindows.TIMESTAMP);
            String cut = cfg.start().plusDays(cfg.trainStartDay()).atStartOfDay().format(SplitWindows.TIMESTAMP);
            Catalog cat = new Catalog(cfg);
            Map<String, double[]> out = new LinkedHashMap<>();
            try (Connection c = Duck.open()) {
                Duck.exec(c, "CREATE TABLE rel (client_id BIGINT, pos INTEGER)");
                Duck.exec(c, "CREATE TABLE cat (sku BIGINT, category BIGINT, price BIGINT, new BOOLEAN)");
                DuckDBConnection dc = c.unwrap(DuckDBConnection.class);
                try (DuckDBAppender a = dc.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "rel")) {
                    for (int i = 0; i < rel.length; i++) {
                        a.beginRow().append(rel[i]).append(i).endRow();
                    }
                }
                try (DuckDBAppender a = dc.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "cat")) {
                    for (int s = 0; s < cat.nSku; s++) {
                        a.beginRow().append(cat.skuId[s]).append(cat.catId[cat.skuCat[s]]).append((long) cat.skuBucket[s])
                                .append(cat.skuNew[s]).endRow();
                    }
                }
                String dir = world.toString().replace("'", "''");
                Duck.exec(c, "CREATE VIEW buys AS SELECT client_id, timestamp, sku FROM read_parquet('" + dir
                        + "/product_buy.parquet')");
                Duck.exec(c, "CREATE VIEW prod AS SELECT client_id, timestamp, sku FROM read_parquet('" + dir
                        + "/product_buy.parquet') UNION ALL SELECT client_id, timestamp, sku FROM read_parquet('" + dir
                        + "/add_to_cart.parquet')");
                Duck.exec(c, "CREATE VIEW ev AS SELECT client_id, timestamp FROM prod UNION ALL SELECT client_id, "
                        + "timestamp FROM read_parquet('" + dir + "/page_visit.parquet')");
                Duck.exec(c, "CREATE VIEW fut AS SELECT draw, client_id, sku FROM read_parquet('" + dir
                        + "/oracle/futures.parquet')");
                binary(c, oracle, rel, val, cut, cfg.oracleDraws(), out);
                for (String col : new String[] {"sku", "category", "price", "new"}) {
                    out.put(col, propensity(c, oracle, rel, col, val, cfg.oracleDraws()));
                }
            }
            return out;
        }

        private static void binary(Connection c, Oracle oracle, long[] rel, String val, String cut, int k,
                Map<String, double[]> out) throws SQLException {
            int n = rel.length;
            boolean[] noBuy = new boolean[n];
            boolean[] active = new boolean[n];
            float[] share = new float[n];
            float[] recency = new float[n];
            float[] buysBefore = new float[n];
            float[] recentEvents = new float[n];
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT r.pos, "
                    + "(SELECT count(*) FROM buys b WHERE b.client_id = r.client_id AND b.timestamp >= '" + val + "'), "
                    + "(SELECT count(*) FROM buys b WHERE b.client_id = r.client_id AND b.timestamp < '" + cut + "'), "
                    + "(SELECT date_diff('hour', max(CAST(e.timestamp AS TIMESTAMP)), TIMESTAMP '" + cut + "') FROM ev e "
                    + "WHERE e.client_id = r.client_id AND e.timestamp < '" + cut + "'), "
                    + "(SELECT count(*) FROM ev e WHERE e.client_id = r.client_id AND e.timestamp < '" + cut + "' "
                    + "AND CAST(e.timestamp AS TIMESTAMP) >= TIMESTAMP '" + cut + "' - INTERVAL 14 DAY), "
                    + "(SELECT count(DISTINCT draw) FROM fut f WHERE f.client_id = r.client_id) FROM rel r")) {
                while (rs.next()) {
                    int i = rs.getInt(1);
                    noBuy[i] = rs.getLong(2) == 0;
                    active[i] = rs.getLong(3) > 0;
                    buysBefore[i] = -rs.getLong(3);
                    recency[i] = rs.getObject(4) == null ? 1e9f : rs.getLong(4);
                    recentEvents[i] = -rs.getLong(5);
                    share[i] = 1 - rs.getLong(6) / (float) k;
                }
            }
            float[] p = oracle.noBuyProbability(rel);
            out.put("conversion", new double[] {Oracle.auroc(p, noBuy), Oracle.auroc(share, noBuy),
                best(noBuy, recency, buysBefore, recentEvents)});
            int m = 0;
            for (boolean a : active) {
                m += a ? 1 : 0;
            }
            float[][] sub = new float[5][m];
            boolean[] y = new boolean[m];
            for (int i = 0, j = 0; i < n; i++) {
                if (active[i]) {
                    sub[0][j] = p[i];
                    sub[1][j] = share[i];
                    sub[2][j] = recency[i];
                    sub[3][j] = buysBefore[i];
                    sub[4][j] = recentEvents[i];
                    y[j++] = noBuy[i];
                }
            }
            out.put("churn", new double[] {Oracle.auroc(sub[0], y), Oracle.auroc(sub[1], y),
                best(y, sub[2], sub[3], sub[4])});
        }

        /**
         * Macro AUROC over the targets with a realised positive: the 30 labels most bought before the window
         * ("new": every new-cohort sku bought in the window). Simple predictors: the client's past buys of the
         * label, past buys and adds of the label, past buys and adds of the label's category.
         */
        private static double[] propensity(Connection c, Oracle oracle, long[] rel, String col, String val, int k)
                throws SQLException {
            String column = col.equals("new") ? "sku" : col;
            String targetsSql = col.equals("new")
                    ? "SELECT DISTINCT b.sku AS t FROM buys b JOIN cat USING (sku) WHERE cat.new AND b.timestamp >= '"
                            + val + "'"
                    : "SELECT cat." + col + " AS t FROM buys b JOIN cat USING (sku) WHERE b.timestamp < '" + val
                            + "' GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 30";
            long[] targets;
            try (Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT list(t ORDER BY t) FROM (" + targetsSql + ")")) {
                rs.next();
                Object[] arr = (Object[]) rs.getArray(1).getArray();
                targets = Arrays.stream(arr).mapToLong(x -> ((Number) x).longValue()).toArray();
            }
            int n = rel.length;
            int t = targets.length;
            boolean[][] y = new boolean[t][n];
            float[][][] simple = new float[3][t][n];
            float[][] share = new float[t][n];
            Duck.exec(c, "CREATE OR REPLACE TABLE tg AS SELECT unnest(?::BIGINT[]) AS t".replace("?",
                    "[" + String.join(",", Arrays.stream(targets).mapToObj(Long::toString).toList()) + "]"));
            Duck.exec(c, "CREATE OR REPLACE TABLE tgi AS SELECT t, row_number() OVER (ORDER BY t) - 1 AS j FROM tg");
            String label = "cat." + column;
            query(c, "SELECT r.pos, tgi.j, count(DISTINCT 1) FROM buys b JOIN cat USING (sku) JOIN rel r USING "
                    + "(client_id) JOIN tgi ON tgi.t = " + label + " WHERE b.timestamp >= '" + val + "' GROUP BY 1, 2",
                    (i, j, v) -> y[j][i] = v > 0);
            query(c, "SELECT r.pos, tgi.j, count(*) FROM buys b JOIN cat USING (sku) JOIN rel r USING (client_id) "
                    + "JOIN tgi ON tgi.t = " + label + " WHERE b.timestamp < '" + val + "' GROUP BY 1, 2",
                    (i, j, v) -> simple[0][j][i] = v);
            query(c, "SELECT r.pos, tgi.j, count(*) FROM prod b JOIN cat USING (sku) JOIN rel r USING (client_id) "
                    + "JOIN tgi ON tgi.t = " + label + " WHERE b.timestamp < '" + val + "' GROUP BY 1, 2",
                    (i, j, v) -> simple[1][j][i] = v);
            query(c, "SELECT r.pos, tgi.j, count(*) FROM prod b JOIN cat USING (sku) JOIN rel r USING (client_id) "
                    + "JOIN cat c2 ON c2.category = cat.category JOIN tgi ON tgi.t = c2." + column
                    + " WHERE b.timestamp < '" + val + "' GROUP BY 1, 2", (i, j, v) -> simple[2][j][i] = v);
            query(c, "SELECT r.pos, tgi.j, count(DISTINCT f.draw) FROM fut f JOIN cat USING (sku) JOIN rel r USING "
                    + "(client_id) JOIN tgi ON tgi.t = " + label + " GROUP BY 1, 2", (i, j, v) -> share[j][i] = v / k);
            float[][] p = oracle.labelProbabilities(rel, column, targets);
            double[] sum = new double[5];
            int labels = 0;
            for (int j = 0; j < t; j++) {
                float[] pj = new float[n];
                for (int i = 0; i < n; i++) {
                    pj[i] = p[i][j];
                }
                double a = Oracle.auroc(pj, y[j]);
                if (Double.isNaN(a)) {
                    continue;
                }
                labels++;
                sum[0] += a;
                sum[1] += Oracle.auroc(share[j], y[j]);
                for (int s = 0; s < 3; s++) {
                    sum[2 + s] += Oracle.auroc(simple[s][j], y[j]);
                }
            }
            assertTrue(labels >= 3, col + ": only " + labels + " labels with a positive");
            return new double[] {sum[0] / labels, sum[1] / labels,
                Math.max(sum[2], Math.max(sum[3], sum[4])) / labels};
        }

        private interface Cell {
            void set(int i, int j, float v);
        }

        private static void query(Connection c, String sql, Cell cell) throws SQLException {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
                while (rs.next()) {
                    cell.set(rs.getInt(1), rs.getInt(2), rs.getFloat(3));
                }
            }
        }

        private static double best(boolean[] y, float[]... scores) {
            double b = 0;
            for (float[] s : scores) {
                b = Math.max(b, Oracle.auroc(s, y));
            }
            return b;
        }
    }
}
