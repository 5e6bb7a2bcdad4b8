package dev.ubm.features;

import dev.ubm.core.UnexpectedStateException;
import dev.ubm.data.EventStore;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Small JDBC helpers for the feature SQL: run a named statement, read one value, list a query's columns. */
final class Sql {
    private Sql() {
    }

    /**
     * Runs one statement; a value DuckDB cannot convert becomes bad input (exit 2, pointing at validate-data),
     * anything else an unexpected state naming the step.
     */
    static void exec(Connection c, Object where, String what, String sql) {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw EventStore.failure(where, "run feature SQL '" + what + "'", e);
        }
    }

    /** The first column of the first row as a long, or {@code dflt} when there is no row or it is NULL. */
    static long queryLong(Connection c, String sql, long dflt) {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            if (!rs.next()) {
                return dflt;
            }
            long v = rs.getLong(1);
            return rs.wasNull() ? dflt : v;
        } catch (SQLException e) {
            throw new UnexpectedStateException("DuckDB query failed: " + e.getMessage() + "\n  in: " + sql, e);
        }
    }

    /** The first column of the first row as a string, or null. */
    static String queryString(Connection c, String sql) {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            throw new UnexpectedStateException("DuckDB query failed: " + e.getMessage() + "\n  in: " + sql, e);
        }
    }

    /** Column names of a query, without running it. */
    static List<String> columns(Connection c, String what, String sql) {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ResultSetMetaData md = ps.getMetaData();
            List<String> out = new ArrayList<>();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                out.add(md.getColumnLabel(i));
            }
            return out;
        } catch (SQLException e) {
            throw new UnexpectedStateException("feature SQL '" + what + "' does not compile: " + e.getMessage(), e);
        }
    }

    /** A VALUES list of one BIGINT column, usable as a table in any SQL dialect. */
    static String valuesTable(String column, long[] values) {
        return valuesTable(column, values, false);
    }

    /** As {@link #valuesTable(String, long[])}, with each value's 0-based list position in an INTEGER column idx. */
    static String positionedValuesTable(String column, long[] values) {
        return valuesTable(column, values, true);
    }

    private static String valuesTable(String column, long[] values, boolean positions) {
        String idx = positions ? "idx, " : "";
        if (values.length == 0) {
            return "SELECT " + (positions ? "CAST(NULL AS INTEGER) AS idx, " : "") + "CAST(NULL AS BIGINT) AS " + column
                    + " WHERE 1 = 0";
        }
        StringBuilder sb = new StringBuilder("SELECT * FROM (VALUES ");
        for (int i = 0; i < values.length; i++) {
            sb.append(i == 0 ? "" : ", ").append('(').append(positions ? i + ", " : "").append(values[i]).append(')');
        }
        return sb.append(") t(").append(idx).append(column).append(')').toString();
    }
}
