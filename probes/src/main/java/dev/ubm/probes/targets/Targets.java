package dev.ubm.probes.targets;

import dev.ubm.core.BadInputException;
import dev.ubm.core.ChallengeDataDir;
import dev.ubm.core.Task;
import dev.ubm.core.UnexpectedStateException;
import dev.ubm.data.Duck;
import dev.ubm.data.EventStore;
import dev.ubm.data.Npy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Computes every task's labels once, up front, from {@code target/train_target} and {@code validation_target}
 * with one DuckDB query per task and window (the organisers filter the target frame per client per batch; the
 * labels are the same). Rules, as the organisers' target calculators:
 * <ul>
 *   <li>churn and conversion: 1 when the client has no product_buy row in the window; churn is scored on the
 *       clients of {@code target/active_clients.npy} only;</li>
 *   <li>propensity tasks: label j is 1 when the client bought, in the window, an item whose {@code sku},
 *       {@code category} or {@code price} ({@link Task#targetColumn()}) equals entry j of the target list.</li>
 * </ul>
 */
public final class Targets {
    private Targets() {
    }

    /** Files a probe over these tasks needs from the data dir; empty when all are there. */
    public static List<String> problems(ChallengeDataDir dir, Collection<Task> tasks) {
        List<String> out = new ArrayList<>(dir.problems(ChallengeDataDir.Need.TARGET_WINDOWS));
        Set<String> seen = new HashSet<>(out);
        for (Task t : tasks) {
            List<Path> need = new ArrayList<>();
            if (t.activeClientsOnly()) {
                need.add(dir.activeClientsFile());
            }
            if (!t.isBinary()) {
                need.add(dir.targetListFile(t));
                need.add(dir.popularityFile(t));
            }
            for (Path p : need) {
                String msg = "missing file " + p;
                if (!java.nio.file.Files.isRegularFile(p) && seen.add(msg)) {
                    out.add(msg);
                }
            }
        }
        return out;
    }

    /**
     * Labels of the given tasks for the clients of an embedding, rows in the embedding's (submission) order.
     *
     * @param clientIds the embedding's client ids, row by row (no duplicates)
     */
    public static Map<Task, TaskTargets> compute(ChallengeDataDir dir, long[] clientIds, Collection<Task> tasks) {
        List<String> p = problems(dir, tasks);
        if (!p.isEmpty()) {
            throw BadInputException.of("data dir " + dir.root() + " cannot be probed", p);
        }
        Set<Task> wanted = new LinkedHashSet<>(tasks);
        Map<Task, TaskTargets> out = new EnumMap<>(Task.class);
        try (Connection c = Duck.open()) {
            loadIds(c, clientIds);
            Path[] windows = {dir.trainTargetFile(), dir.validationTargetFile()};
            String[] names = {"win_train", "win_valid"};
            Set<String> cols = new LinkedHashSet<>();
            cols.add("client_id");
            for (Task t : wanted) {
                if (!t.isBinary()) {
                    cols.add(t.targetColumn());
                }
            }
            for (int w = 0; w < 2; w++) {
                requireColumns(c, windows[w], cols);
                StringBuilder sel = new StringBuilder();
                for (String col : cols) {
                    sel.append(sel.length() == 0 ? "" : ", ").append("CAST(").append(col).append(" AS BIGINT) AS ")
                            .append(col);
                }
                Duck.exec(c, "CREATE TABLE " + names[w] + " AS SELECT " + sel + " FROM "
                        + EventStore.reader(windows[w]));
            }
            int n = clientIds.length;
            boolean[][] buyers = null;
            for (Task t : wanted) {
                if (t.isBinary()) {
                    if (buyers == null) {
                        buyers = new boolean[][] {buyers(c, names[0], n), buyers(c, names[1], n)};
                    }
                    int[] rows = t.activeClientsOnly() ? activeRows(dir, clientIds) : allRows(n);
                    out.put(t, new TaskTargets(t, rows, noPurchase(buyers[0], rows), noPurchase(buyers[1], rows),
                            new long[0], new long[0]));
                } else {
                    long[] list = Npy.readLongs(dir.targetListFile(t));
                    long[] pop = Npy.readLongs(dir.popularityFile(t));
                    if (pop.length != list.length) {
                        throw new BadInputException(dir.popularityFile(t) + " has " + pop.length + " entries but "
                                + dir.targetListFile(t) + " has " + list.length);
                    }
                    if (list.length == 0) {
                        throw new BadInputException(dir.targetListFile(t) + " is empty");
                    }
                    loadList(c, list);
                    Labels train = multiHot(c, names[0], t.targetColumn(), n, list.length);
                    Labels valid = multiHot(c, names[1], t.targetColumn(), n, list.length);
                    out.put(t, new TaskTargets(t, allRows(n), train, valid, list, pop));
                }
            }
        } catch (SQLException e) {
            throw new UnexpectedStateException("cannot compute targets: " + e.getMessage(), e);
        }
        return out;
    }

    static int[] allRows(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }

    /** Rows of the embedding whose client is in target/active_clients.npy, in row order. */
    static int[] activeRows(ChallengeDataDir dir, long[] clientIds) {
        long[] active = Npy.readLongs(dir.activeClientsFile()).clone();
        Arrays.sort(active);
        int[] rows = new int[clientIds.length];
        int m = 0;
        for (int i = 0; i < clientIds.length; i++) {
            if (Arrays.binarySearch(active, clientIds[i]) >= 0) {
                rows[m++] = i;
            }
        }
        if (m == 0) {
            throw new BadInputException(dir.activeClientsFile() + ": none of the " + clientIds.length
                    + " embedded clients is active, churn has no samples");
        }
        return Arrays.copyOf(rows, m);
    }

    private static Labels noPurchase(boolean[] bought, int[] rows) {
        boolean[] y = new boolean[rows.length];
        for (int i = 0; i < rows.length; i++) {
            y[i] = !bought[rows[i]];
        }
        return Labels.binary(y);
    }

    private static void requireColumns(Connection c, Path file, Set<String> cols) throws SQLException {
        Set<String> have = new HashSet<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("DESCRIBE SELECT * FROM " + EventStore.reader(file))) {
            while (rs.next()) {
                have.add(rs.getString(1).toLowerCase(Locale.ROOT));
            }
        } catch (SQLException e) {
            throw new BadInputException("cannot read " + file + ": " + e.getMessage(), e);
        }
        List<String> missing = new ArrayList<>();
        for (String col : cols) {
            if (!have.contains(col)) {
                missing.add(col);
            }
        }
        if (!missing.isEmpty()) {
            throw new BadInputException(file + " lacks column(s) " + missing + " (has " + have + ")");
        }
    }

    private static void loadIds(Connection c, long[] ids) throws SQLException {
        Duck.exec(c, "CREATE TABLE ids (client_id BIGINT, row INTEGER)");
        try (DuckDBAppender app = c.unwrap(DuckDBConnection.class).createAppender(DuckDBConnection.DEFAULT_SCHEMA,
                "ids")) {
            for (int i = 0; i < ids.length; i++) {
                app.beginRow();
                app.append(ids[i]);
                app.append(i);
                app.endRow();
            }
        }
    }

    private static void loadList(Connection c, long[] list) throws SQLException {
        Duck.exec(c, "CREATE OR REPLACE TABLE lst (value BIGINT, pos INTEGER)");
        try (DuckDBAppender app = c.unwrap(DuckDBConnection.class).createAppender(DuckDBConnection.DEFAULT_SCHEMA,
                "lst")) {
            for (int i = 0; i < list.length; i++) {
                app.beginRow();
                app.append(list[i]);
                app.append(i);
                app.endRow();
            }
        }
    }

    private static boolean[] buyers(Connection c, String window, int n) throws SQLException {
        boolean[] out = new boolean[n];
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT DISTINCT i.row FROM ids i JOIN " + window
                        + " w ON w.client_id = i.client_id")) {
            while (rs.next()) {
                out[rs.getInt(1)] = true;
            }
        }
        return out;
    }

    private static Labels multiHot(Connection c, String window, String col, int n, int width) throws SQLException {
        int[] pr = new int[1024];
        int[] pc = new int[1024];
        int m = 0;
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT DISTINCT i.row, l.pos FROM " + window + " w JOIN ids i ON "
                        + "w.client_id = i.client_id JOIN lst l ON w." + col + " = l.value ORDER BY 1, 2")) {
            while (rs.next()) {
                if (m == pr.length) {
                    pr = Arrays.copyOf(pr, m * 2);
                    pc = Arrays.copyOf(pc, m * 2);
                }
                pr[m] = rs.getInt(1);
                pc[m++] = rs.getInt(2);
            }
        }
        return Labels.ofSortedPairs(n, width, pr, pc, m);
    }
}
