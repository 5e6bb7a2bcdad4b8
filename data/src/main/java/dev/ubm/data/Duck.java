package dev.ubm.data;

import dev.ubm.core.UnexpectedStateException;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * Opens DuckDB connections with ubm's settings (threads, memory limit, temp dir). The one place that knows how
 * ubm talks to DuckDB; everything SQL goes through a connection from here.
 */
public final class Duck {
    private Duck() {
    }

    /** An in-memory DuckDB with the default settings (threads = cores, memory limit 60% of RAM). */
    public static Connection open() {
        return open(null);
    }

    /** An in-memory DuckDB that spills to {@code spillDir} when given. */
    public static Connection open(Path spillDir) {
        try {
            Class.forName("org.duckdb.DuckDBDriver");
            Properties p = new Properties();
            Connection c = DriverManager.getConnection("jdbc:duckdb:", p);
            try (Statement st = c.createStatement()) {
                st.execute("SET threads=" + Runtime.getRuntime().availableProcessors());
                String limit = System.getProperty("ubm.duckdb.memory", "60%");
                st.execute("SET memory_limit='" + memoryLimit(limit) + "'");
                st.execute("SET preserve_insertion_order=false");
                if (spillDir != null) {
                    st.execute("SET temp_directory=" + sqlPath(spillDir));
                }
            }
            return c;
        } catch (ClassNotFoundException | SQLException e) {
            throw new UnexpectedStateException("cannot open DuckDB: " + e.getMessage(), e);
        }
    }

    private static String memoryLimit(String spec) {
        if (spec.endsWith("%")) {
            long total = totalMemoryBytes();
            double frac = Double.parseDouble(spec.substring(0, spec.length() - 1)) / 100.0;
            return Math.max(256, (long) (total * frac / (1 << 20))) + "MB";
        }
        return spec;
    }

    private static long totalMemoryBytes() {
        try {
            com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            return os.getTotalMemorySize();
        } catch (RuntimeException | LinkageError e) {
            return 8L << 30;
        }
    }

    /** A path as a single-quoted SQL string literal. */
    public static String sqlPath(Path p) {
        return "'" + p.toAbsolutePath().toString().replace("'", "''") + "'";
    }

    /** Executes one statement, wrapping SQL errors with the statement's purpose. */
    public static void exec(Connection c, String sql) {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw failure(e, sql);
        }
    }

    /**
     * Maps a DuckDB error to ubm's exceptions: a value DuckDB cannot convert or parse is bad input (exit 2, with
     * a pointer to {@code ubm validate-data}); anything else is an unexpected state (exit 3).
     */
    public static dev.ubm.core.UbmException failure(SQLException e, String sql) {
        String msg = String.valueOf(e.getMessage());
        if (msg.contains("Conversion Error") || msg.contains("Invalid Input Error") || msg.contains("No files found")) {
            return new dev.ubm.core.BadInputException("bad input data: " + msg.lines().findFirst().orElse(msg)
                    + "\n  (run 'ubm validate-data --data-dir ...' to list every problem)", e);
        }
        return new UnexpectedStateException("DuckDB failed: " + msg + "\n  in: " + abbreviate(sql), e);
    }

    static String abbreviate(String sql) {
        String s = sql.replaceAll("\\s+", " ").trim();
        return s.length() > 300 ? s.substring(0, 300) + " ..." : s;
    }
}
