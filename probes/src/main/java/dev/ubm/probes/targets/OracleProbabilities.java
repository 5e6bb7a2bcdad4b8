package dev.ubm.probes.targets;

import dev.ubm.core.BadInputException;
import dev.ubm.core.ChallengeDataDir;
import dev.ubm.core.Task;
import dev.ubm.core.UnexpectedStateException;
import dev.ubm.data.Duck;
import dev.ubm.data.EventStore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.EnumMap;
import java.util.Map;

import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * The synthetic world's oracle as a predictor: {@code oracle/futures.parquet} holds K simulated draws
 * (draw, client_id, timestamp, sku) of the validation window's product_buy rows, sampled from the hidden traits
 * that generated the world. A client's oracle probability for a label is the share of the K draws in which the
 * label is 1 (no purchase for churn and conversion; a purchase matching the target list entry for propensity
 * tasks, category and price looked up in product_properties). Scoring these probabilities against the real
 * validation window gives a ceiling no embedding can reach.
 */
public final class OracleProbabilities {
    public static final String FUTURES = "futures.parquet";

    private OracleProbabilities() {
    }

    public static Path futuresFile(ChallengeDataDir dir) {
        return dir.oracleDir().resolve(FUTURES);
    }

    /** True when the data dir carries an oracle that can be scored. */
    public static boolean available(ChallengeDataDir dir) {
        return Files.isRegularFile(futuresFile(dir));
    }

    /**
     * Probabilities per task, aligned with each task's samples ({@code samples x width}, row-major).
     *
     * @param clientIds the embedding's ids, row by row (the targets' rows index into them)
     */
    public static Map<Task, float[]> compute(ChallengeDataDir dir, long[] clientIds, Map<Task, TaskTargets> tasks) {
        Path fut = futuresFile(dir);
        if (!Files.isRegularFile(fut)) {
            throw new BadInputException("missing oracle file " + fut);
        }
        Map<Task, float[]> out = new EnumMap<>(Task.class);
        try (Connection c = Duck.open()) {
            Duck.exec(c, "CREATE TABLE ids (client_id BIGINT, row INTEGER)");
            try (DuckDBAppender app = c.unwrap(DuckDBConnection.class)
                    .createAppender(DuckDBConnection.DEFAULT_SCHEMA, "ids")) {
                for (int i = 0; i < clientIds.length; i++) {
                    app.beginRow();
                    app.append(clientIds[i]);
                    app.append(i);
                    app.endRow();
                }
            }
            boolean needProps = tasks.keySet().stream().anyMatch(t -> !t.isBinary() && !t.targetColumn().equals("sku"));
            Duck.exec(c, "CREATE TABLE fut AS SELECT CAST(f.draw AS BIGINT) AS draw, i.row AS row, "
                    + "CAST(f.sku AS BIGINT) AS sku FROM " + EventStore.reader(fut) + " f JOIN ids i ON "
                    + "CAST(f.client_id AS BIGINT) = i.client_id");
            if (needProps) {
                Duck.exec(c, "CREATE TABLE props AS SELECT DISTINCT CAST(sku AS BIGINT) AS sku, "
                        + "CAST(category AS BIGINT) AS category, CAST(price AS BIGINT) AS price FROM "
                        + EventStore.reader(dir.propertiesFile()));
            }
            long draws;
            try (Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT count(DISTINCT draw) FROM " + EventStore.reader(fut))) {
                rs.next();
                draws = rs.getLong(1);
            }
            if (draws == 0) {
                throw new BadInputException(fut + " holds no draws");
            }
            int n = clientIds.length;
            for (Map.Entry<Task, TaskTargets> e : tasks.entrySet()) {
                Task t = e.getKey();
                TaskTargets tt = e.getValue();
                int width = tt.width();
                float[] full = new float[n * width];
                if (t.isBinary()) {
                    java.util.Arrays.fill(full, 1f);
                    try (Statement st = c.createStatement();
                            ResultSet rs = st.executeQuery("SELECT row, count(DISTINCT draw) FROM fut GROUP BY row")) {
                        while (rs.next()) {
                            full[rs.getInt(1)] = (float) (1.0 - rs.getLong(2) / (double) draws);
                        }
                    }
                } else {
                    Duck.exec(c, "CREATE OR REPLACE TABLE lst (value BIGINT, pos INTEGER)");
                    try (DuckDBAppender app = c.unwrap(DuckDBConnection.class)
                            .createAppender(DuckDBConnection.DEFAULT_SCHEMA, "lst")) {
                        long[] list = tt.targetList();
                        for (int j = 0; j < list.length; j++) {
                            app.beginRow();
                            app.append(list[j]);
                            app.append(j);
                            app.endRow();
                        }
                    }
                    String col = t.targetColumn();
                    String from = col.equals("sku") ? "fut f JOIN lst l ON f.sku = l.value"
                            : "fut f JOIN props p ON p.sku = f.sku JOIN lst l ON p." + col + " = l.value";
                    try (Statement st = c.createStatement();
                            ResultSet rs = st.executeQuery("SELECT f.row, l.pos, count(DISTINCT f.draw) FROM " + from
                                    + " GROUP BY 1, 2")) {
                        while (rs.next()) {
                            full[rs.getInt(1) * width + rs.getInt(2)] = (float) (rs.getLong(3) / (double) draws);
                        }
                    }
                }
                int[] rows = tt.rows();
                float[] sel = new float[rows.length * width];
                for (int i = 0; i < rows.length; i++) {
                    System.arraycopy(full, rows[i] * width, sel, i * width, width);
                }
                out.put(t, sel);
            }
        } catch (SQLException e) {
            throw new UnexpectedStateException("cannot read the oracle " + fut + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** Probabilities as logits (clamped to [1e-6, 1 - 1e-6]) so the organisers' sigmoid gives them back. */
    public static float[] logits(float[] probabilities) {
        float[] out = new float[probabilities.length];
        for (int i = 0; i < out.length; i++) {
            double p = Math.min(1 - 1e-6, Math.max(1e-6, probabilities[i]));
            out[i] = (float) Math.log(p / (1 - p));
        }
        return out;
    }
}
