package dev.ubm.data;

import dev.ubm.core.BadInputException;
import dev.ubm.core.ChallengeDataDir;
import dev.ubm.core.EventType;
import dev.ubm.core.UbmException;
import dev.ubm.core.UnexpectedStateException;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.List;

import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * The event store: a DuckDB connection over a data dir's parquet or csv files, with typed views every stage's
 * SQL can rely on. Views (all timestamps TIMESTAMP):
 * <ul>
 *   <li>{@code product_buy, add_to_cart, remove_from_cart}(client_id BIGINT, timestamp, sku BIGINT)</li>
 *   <li>{@code page_visit}(client_id, timestamp, url BIGINT); {@code search_query}(client_id, timestamp, query VARCHAR)</li>
 *   <li>{@code product_properties}(sku, category, price BIGINT, name VARCHAR)</li>
 *   <li>{@code events}(client_id, timestamp, event_type TINYINT = {@link EventType#code()}, sku, url, query) — all
 *       types in one relation, nulls where a type has no such column</li>
 *   <li>table {@code relevant_clients}(client_id BIGINT) from input/relevant_clients.npy</li>
 * </ul>
 * Events come from {@link ChallengeDataDir#eventsDir()}: input/ after a split, the root otherwise.
 */
public final class EventStore implements AutoCloseable {
    private final ChallengeDataDir dir;
    private final Connection conn;
    private LocalDateTime cutoff;

    private EventStore(ChallengeDataDir dir, Connection conn) {
        this.dir = dir;
        this.conn = conn;
    }

    /**
     * Opens the store over a data dir after the cheap checks of the files every stage reads
     * ({@link DataValidator#checkForStage}: columns, types, and every row value of the events dir and
     * product_properties in one scan per file; at least one event; a non-empty relevant_clients.npy). Any problem
     * is a {@link BadInputException} (exit 2) naming file, column, first row and value, before a stage works.
     * {@link #validate()} ({@code ubm validate-data}) checks more (skus missing from product_properties, targets).
     */
    public static EventStore open(ChallengeDataDir dir) {
        dir.require(ChallengeDataDir.Need.EVENTS);
        Connection c = Duck.open();
        EventStore s = new EventStore(dir, c);
        try {
            throwIfAny(dir, DataValidator.checkForStage(dir, c));
            s.createViews();
            return s;
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** One problem: its message names the file; several: listed under the data dir. */
    private static void throwIfAny(ChallengeDataDir dir, List<DataValidator.Problem> problems) {
        if (problems.size() == 1) {
            throw new BadInputException(problems.get(0).stageMessage(dir.root()));
        }
        if (!problems.isEmpty()) {
            throw BadInputException.of("data dir " + dir.root() + " has bad input",
                    problems.stream().map(p -> p.stageMessage(dir.root())).toList());
        }
    }

    /** SQL that reads a parquet or csv file (csv: header row, all columns as text, cast by the views). */
    public static String reader(Path file) {
        return ChallengeDataDir.formatOf(file) == ChallengeDataDir.Format.CSV
                ? "read_csv(" + Duck.sqlPath(file) + ", header=true, all_varchar=true)"
                : "read_parquet(" + Duck.sqlPath(file) + ")";
    }

    private void createViews() {
        for (EventType t : EventType.values()) {
            String item = switch (t.itemKind()) {
                case SKU, URL -> "CAST(" + t.itemColumn() + " AS BIGINT) AS " + t.itemColumn();
                case QUERY -> "CAST(query AS VARCHAR) AS query";
            };
            Duck.exec(conn, "CREATE VIEW " + t.stem() + " AS SELECT CAST(client_id AS BIGINT) AS client_id, "
                    + "CAST(timestamp AS TIMESTAMP) AS timestamp, " + item + " FROM " + reader(dir.eventFile(t)));
        }
        Duck.exec(conn, "CREATE VIEW product_properties AS SELECT CAST(sku AS BIGINT) AS sku, "
                + "CAST(category AS BIGINT) AS category, CAST(price AS BIGINT) AS price, CAST(name AS VARCHAR) AS name "
                + "FROM " + reader(dir.propertiesFile()));
        StringBuilder u = new StringBuilder("CREATE VIEW events AS ");
        for (EventType t : EventType.values()) {
            if (t.ordinal() > 0) {
                u.append(" UNION ALL ");
            }
            u.append("SELECT client_id, timestamp, CAST(").append(t.code()).append(" AS TINYINT) AS event_type, ")
                    .append(t.itemColumn().equals("sku") ? "sku" : "CAST(NULL AS BIGINT)").append(" AS sku, ")
                    .append(t.itemColumn().equals("url") ? "url" : "CAST(NULL AS BIGINT)").append(" AS url, ")
                    .append(t.itemColumn().equals("query") ? "query" : "CAST(NULL AS VARCHAR)").append(" AS query FROM ")
                    .append(t.stem());
        }
        Duck.exec(conn, u.toString());
        loadIds("relevant_clients", RelevantClients.read(dir));
    }

    /** Creates (or replaces) a one-column table {@code name(client_id BIGINT)} from ids. */
    public void loadIds(String name, long[] ids) {
        Duck.exec(conn, "CREATE OR REPLACE TABLE " + name + " (client_id BIGINT)");
        try (DuckDBAppender app = conn.unwrap(DuckDBConnection.class).createAppender(DuckDBConnection.DEFAULT_SCHEMA,
                name)) {
            for (long id : ids) {
                app.beginRow();
                app.append(id);
                app.endRow();
            }
        } catch (SQLException e) {
            throw new UnexpectedStateException("cannot load ids into DuckDB table " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * Runs every check of {@link DataValidator#validate} on this store's data dir (one scan per file) and returns
     * the report; {@code report.orThrow()} turns problems into a {@link BadInputException}.
     */
    public DataValidator.Report validate() {
        return DataValidator.validate(dir);
    }

    /**
     * A second connection to this store's database (same views and tables) whose results stream to Java instead of
     * being materialised first; close it after use. For long ordered scans such as {@link ClientSequences}.
     */
    public Connection streamingConnection() {
        try {
            Connection d = conn.unwrap(DuckDBConnection.class).duplicate();
            try (Statement st = d.createStatement()) {
                st.execute("SET jdbc_stream_results=true");
            }
            return d;
        } catch (SQLException e) {
            throw new UnexpectedStateException("cannot open a streaming DuckDB connection: " + e.getMessage(), e);
        }
    }

    /**
     * Maps a DuckDB failure to ubm's exceptions: a value DuckDB cannot convert (a bad timestamp, a non-numeric id in
     * a csv) is bad input (exit 2); when {@code where} is a data dir, its files are scanned again with the stage
     * checks to name file, column, row and value ({@code <file>: column <c>, row <r>: cannot parse '<v>' as <type>}).
     * Anything else is unexpected (exit 3).
     */
    public static UbmException failure(Object where, String doing, SQLException e) {
        String msg = e.getMessage() == null ? e.toString() : e.getMessage();
        if (msg.contains("Conversion Error") || msg.contains("Invalid Input Error")) {
            ChallengeDataDir dir = where instanceof ChallengeDataDir d ? d
                    : where instanceof Path p && java.nio.file.Files.isDirectory(p) ? ChallengeDataDir.open(p) : null;
            if (dir != null) {
                try (Connection c = Duck.open()) {
                    throwIfAny(dir, DataValidator.checkForStage(dir, c));
                } catch (SQLException | RuntimeException located) {
                    if (located instanceof BadInputException b) {
                        b.addSuppressed(e);
                        return b;
                    }
                    // the scan found nothing or failed itself: fall back to DuckDB's first line
                }
            }
            return new BadInputException("bad value in " + where + " (while trying to " + doing + "): "
                    + msg.lines().findFirst().orElse(msg) + "\n  run 'ubm validate-data --data-dir " + where
                    + "' to list every problem", e);
        }
        return new UnexpectedStateException("DuckDB failed to " + doing + " on " + where + ": " + msg, e);
    }

    public Connection connection() {
        return conn;
    }

    public ChallengeDataDir dataDir() {
        return dir;
    }

    /**
     * The input cutoff: midnight after the last event of the events dir. After a split this is the start of the
     * train target window; every "days before" in feature SQL counts back from here.
     */
    public LocalDateTime cutoff() {
        if (cutoff == null) {
            try (Statement st = conn.createStatement();
                    ResultSet rs = st.executeQuery(
                            "SELECT date_trunc('day', max(timestamp)) + INTERVAL 1 DAY FROM events")) {
                rs.next();
                java.sql.Timestamp ts = rs.getTimestamp(1);
                if (ts == null) {
                    throw new UnexpectedStateException("data dir " + dir.root() + " has no events");
                }
                cutoff = ts.toLocalDateTime();
            } catch (SQLException e) {
                throw failure(dir, "compute the input cutoff", e);
            }
        }
        return cutoff;
    }

    @Override
    public void close() {
        try {
            conn.close();
        } catch (SQLException ignored) {
            // closing an in-memory db
        }
    }
}
