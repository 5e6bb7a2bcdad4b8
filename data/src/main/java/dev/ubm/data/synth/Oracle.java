package dev.ubm.data.synth;

import dev.ubm.core.BadInputException;
import dev.ubm.core.ChallengeDataDir;
import dev.ubm.core.Json;
import dev.ubm.core.Task;
import dev.ubm.core.UnexpectedStateException;
import dev.ubm.data.Duck;
import dev.ubm.data.EventStore;
import dev.ubm.data.Npy;
import dev.ubm.data.SplitWindows;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.Map;

import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * The synthetic world's oracle: each relevant client's probability of every task label in the validation window,
 * as the share of the K simulated futures (oracle/futures.parquet) in which the label is 1. It knows the hidden
 * traits and state, so it is a ceiling on the binary tasks; for a rare propensity label the share of K draws is
 * coarse (mostly ties at 0), so a good embedding can score above it there. The realised future is one more
 * independent draw, so its probabilities are calibrated against the realised labels.
 */
public final class Oracle {
    private final Path futures;
    private final Path properties;
    private final int draws;
    private final LocalDateTime validationStart;
    private final LocalDateTime validationEnd;
    private final long[] relevantSorted;

    private Oracle(Path futures, Path properties, int draws, LocalDateTime validationStart,
            LocalDateTime validationEnd, long[] relevantSorted) {
        this.futures = futures;
        this.properties = properties;
        this.draws = draws;
        this.validationStart = validationStart;
        this.validationEnd = validationEnd;
        this.relevantSorted = relevantSorted;
    }

    /** Opens the oracle of a synthetic data dir; throws {@link BadInputException} when the dir has none. */
    public static Oracle open(Path dataDir) {
        ChallengeDataDir dir = ChallengeDataDir.open(dataDir);
        Path json = dir.oracleDir().resolve(SyntheticWorld.ORACLE_FILE);
        Path fut = dir.oracleDir().resolve(SyntheticWorld.FUTURES_FILE);
        if (!Files.isRegularFile(json) || !Files.isRegularFile(fut)) {
            throw new BadInputException(dir.root() + " has no oracle (expected " + json + " and " + fut
                    + "; only worlds written by 'ubm synth' have one)");
        }
        Map<String, Object> m;
        try {
            m = Json.parseObject(Files.readString(json));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + json, e);
        }
        long[] rel = Npy.readLongs(dir.relevantClientsFile());
        Arrays.sort(rel);
        return new Oracle(fut, dir.propertiesFile(), ((Number) m.get("draws")).intValue(),
                LocalDateTime.parse((String) m.get("validation_start"), SplitWindows.TIMESTAMP),
                LocalDateTime.parse((String) m.get("validation_end"), SplitWindows.TIMESTAMP), rel);
    }

    /** K, the number of simulated futures behind each probability. */
    public int draws() {
        return draws;
    }

    public LocalDateTime validationStart() {
        return validationStart;
    }

    /** Last second of the validation window (the last simulated day). */
    public LocalDateTime validationEnd() {
        return validationEnd;
    }

    /**
     * Per task: binary tasks (churn, conversion) give an n×1 matrix of P(label = 1) = P(no buy in the window);
     * propensity tasks give n×|targets| probabilities that the client buys something whose {@link Task#targetColumn}
     * is that target.
     */
    public float[][] probabilities(Task task, long[] clientIds, long[] targets) {
        if (task.isBinary()) {
            float[] p = noBuyProbability(clientIds);
            float[][] out = new float[p.length][];
            for (int i = 0; i < p.length; i++) {
                out[i] = new float[] {p[i]};
            }
            return out;
        }
        return labelProbabilities(clientIds, task.targetColumn(), targets);
    }

    /** P(no product_buy in the validation window) per client (the churn and conversion label). */
    public float[] noBuyProbability(long[] clientIds) {
        requireRelevant(clientIds);
        float[] p = new float[clientIds.length];
        Arrays.fill(p, 1f);
        try (Connection c = Duck.open()) {
            loadPositions(c, "q", clientIds);
            try (Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT q.pos, count(DISTINCT f.draw) FROM q JOIN read_parquet("
                            + Duck.sqlPath(futures) + ") f USING (client_id) GROUP BY q.pos")) {
                while (rs.next()) {
                    p[rs.getInt(1)] = 1f - rs.getLong(2) / (float) draws;
                }
            }
        } catch (SQLException e) {
            throw new UnexpectedStateException("oracle: cannot read " + futures + ": " + e.getMessage(), e);
        }
        return p;
    }

    /**
     * P(the client buys at least one product whose {@code targetColumn} (sku, category or price) equals
     * targets[j]) for every client i and target j.
     */
    public float[][] labelProbabilities(long[] clientIds, String targetColumn, long[] targets) {
        if (!targetColumn.equals("sku") && !targetColumn.equals("category") && !targetColumn.equals("price")) {
            throw new BadInputException("oracle: target column must be sku, category or price, not '"
                    + targetColumn + "'");
        }
        requireRelevant(clientIds);
        float[][] p = new float[clientIds.length][targets.length];
        try (Connection c = Duck.open()) {
            loadPositions(c, "q", clientIds);
            loadPositions(c, "t", targets);
            String join = targetColumn.equals("sku") ? "" : " JOIN (SELECT CAST(sku AS BIGINT) AS sku, CAST("
                    + targetColumn + " AS BIGINT) AS " + targetColumn + " FROM " + EventStore.reader(properties)
                    + ") p USING (sku)";
            String sql = "SELECT q.pos, t.pos, count(DISTINCT f.draw) FROM read_parquet(" + Duck.sqlPath(futures)
                    + ") f JOIN q USING (client_id)" + join + " JOIN t ON t.client_id = " + targetColumn
                    + " GROUP BY q.pos, t.pos";
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
                while (rs.next()) {
                    p[rs.getInt(1)][rs.getInt(2)] = rs.getLong(3) / (float) draws;
                }
            }
        } catch (SQLException e) {
            throw new UnexpectedStateException("oracle: cannot read " + futures + ": " + e.getMessage(), e);
        }
        return p;
    }

    private void requireRelevant(long[] ids) {
        int missing = 0;
        long example = 0;
        for (long id : ids) {
            if (Arrays.binarySearch(relevantSorted, id) < 0) {
                if (missing++ == 0) {
                    example = id;
                }
            }
        }
        if (missing > 0) {
            throw new BadInputException("oracle: " + missing + " of " + ids.length + " client ids are not relevant "
                    + "clients of this world (e.g. " + example + "); the oracle simulated futures for relevant "
                    + "clients only");
        }
    }

    /** A table name(client_id BIGINT, pos INTEGER) of values and their positions (client_id holds any value). */
    private static void loadPositions(Connection c, String name, long[] values) throws SQLException {
        Duck.exec(c, "CREATE TABLE " + name + " (client_id BIGINT, pos INTEGER)");
        try (DuckDBAppender a = c.unwrap(DuckDBConnection.class).createAppender(DuckDBConnection.DEFAULT_SCHEMA, name)) {
            for (int i = 0; i < values.length; i++) {
                a.beginRow().append(values[i]).append(i).endRow();
            }
        }
    }

    /** Binary AUROC (Mann-Whitney with average ranks for ties); NaN when a class is missing. */
    public static double auroc(float[] score, boolean[] positive) {
        int n = score.length;
        Integer[] idx = new Integer[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (a, b) -> Float.compare(score[a], score[b]));
        double rankSumPos = 0;
        long nPos = 0;
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && score[idx[j + 1]] == score[idx[i]]) {
                j++;
            }
            double avgRank = (i + j) / 2.0 + 1;
            for (int t = i; t <= j; t++) {
                if (positive[idx[t]]) {
                    rankSumPos += avgRank;
                    nPos++;
                }
            }
            i = j + 1;
        }
        long nNeg = n - nPos;
        if (nPos == 0 || nNeg == 0) {
            return Double.NaN;
        }
        return (rankSumPos - nPos * (nPos + 1) / 2.0) / ((double) nPos * nNeg);
    }
}
