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
     * Opens the store over a data dir; the dir must hold events, properties and relevant clients with the right
     * columns and types (a cheap check of file metadata, {@link DataValidator#checkSchema}). Row values are checked
     * by {@link #validate()} ({@code ubm validate-data}), not here: a bad value met later by a query surfaces as a
     * {@link BadInputException} through {@link #failure}.
     */
    public static EventStore open(ChallengeDataDir dir) {
        dir.require(ChallengeDataDir.Need.EVENTS);
        Connection c = Duck.open();
        EventStore s = new EventStore(dir, c);
        try {
            List<DataValidator.Problem> problems = DataValidator.checkSchema(dir, c);
            if (!problems.isEmpty()) {
                throw BadInputException.of("data dir " + dir.root() + " is not usable",
                        problems.stream().map(DataValidator.Problem::message).toList());
            }
            s.createViews();
            return s;
        } catch (RuntimeException e) {
            s.close();
            throw e;
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
        loadIds("relevant_clients", Npy.readLongs(dir.relevantClientsFile()));
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
     * a csv) is bad input (exit 2) and points at {@code ubm validate-data}; anything else is unexpected (exit 3).
     */
    public static UbmException failure(Object where, String doing, SQLException e) {
        String msg = e.getMessage() == null ? e.toString() : e.getMessage();
        if (msg.startsWith("Conversion Error") || msg.startsWith("Invalid Input Error")) {
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
                throw new UnexpectedStateException("cannot compute the input cutoff: " + e.getMessage(), e);
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
