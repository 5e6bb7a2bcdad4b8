package dev.ubm.data;

import dev.ubm.core.ChallengeDataDir;
import dev.ubm.core.EventType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * A tiny world built by hand inside a test: events, product properties and relevant clients, written in the raw
 * challenge layout as parquet (typed like the official files: int64 ids, string timestamps and codes) or csv.
 * Values are kept as text, so a test can plant any bad value; {@link #parquet} writes any SQL as a parquet file.
 */
public final class HandWorld {
    private final Map<EventType, List<String[]>> events = new EnumMap<>(EventType.class);
    private final List<String[]> products = new ArrayList<>();
    private long[] relevant = new long[0];

    public HandWorld() {
        for (EventType t : EventType.values()) {
            events.put(t, new ArrayList<>());
        }
    }

    /** An event; {@code item} is the sku, url or query string (written as given). */
    public HandWorld event(EventType type, Object client, String timestamp, Object item) {
        events.get(type).add(new String[] {str(client), timestamp, str(item)});
        return this;
    }

    public HandWorld buy(long client, String ts, long sku) {
        return event(EventType.PRODUCT_BUY, client, ts, sku);
    }

    public HandWorld add(long client, String ts, long sku) {
        return event(EventType.ADD_TO_CART, client, ts, sku);
    }

    public HandWorld remove(long client, String ts, long sku) {
        return event(EventType.REMOVE_FROM_CART, client, ts, sku);
    }

    public HandWorld visit(long client, String ts, long url) {
        return event(EventType.PAGE_VISIT, client, ts, url);
    }

    public HandWorld search(long client, String ts, String query) {
        return event(EventType.SEARCH_QUERY, client, ts, query);
    }

    public HandWorld product(Object sku, Object category, Object price, String name) {
        products.add(new String[] {str(sku), str(category), str(price), name});
        return this;
    }

    public HandWorld relevant(long... ids) {
        relevant = ids.clone();
        return this;
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }

    /** Writes the world into {@code dir} (created) and returns it opened. */
    public ChallengeDataDir write(Path dir, ChallengeDataDir.Format format) {
        try (Connection c = format == ChallengeDataDir.Format.PARQUET ? Duck.open() : null) {
            Files.createDirectories(dir.resolve("input"));
            for (EventType t : EventType.values()) {
                Path f = dir.resolve(t.stem() + format.suffix());
                String itemType = t.itemKind() == EventType.ItemKind.QUERY ? "VARCHAR" : "BIGINT";
                write(c, f, format, List.of("client_id", "timestamp", t.itemColumn()),
                        List.of("BIGINT", "VARCHAR", itemType), events.get(t));
            }
            write(c, dir.resolve(EventType.PROPERTIES_STEM + format.suffix()), format,
                    EventType.PROPERTIES_COLUMNS, List.of("BIGINT", "BIGINT", "BIGINT", "VARCHAR"), products);
            Npy.writeLongs(dir.resolve("input/relevant_clients.npy"), relevant);
            return ChallengeDataDir.open(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void write(Connection c, Path f, ChallengeDataDir.Format format, List<String> cols,
            List<String> types, List<String[]> rows) throws IOException {
        if (format == ChallengeDataDir.Format.CSV) {
            StringBuilder sb = new StringBuilder(String.join(",", cols)).append('\n');
            for (String[] r : rows) {
                StringJoiner j = new StringJoiner(",");
                for (String v : r) {
                    j.add(v == null ? "" : v.contains(" ") || v.contains(",") ? "\"" + v.replace("\"", "\"\"") + "\"" : v);
                }
                sb.append(j).append('\n');
            }
            Files.writeString(f, sb.toString(), StandardCharsets.UTF_8);
            return;
        }
        StringBuilder sql = new StringBuilder();
        if (rows.isEmpty()) {
            StringJoiner j = new StringJoiner(", ", "SELECT ", " WHERE false");
            for (int i = 0; i < cols.size(); i++) {
                j.add("CAST(NULL AS " + types.get(i) + ") AS " + cols.get(i));
            }
            sql.append(j);
        } else {
            StringJoiner j = new StringJoiner(", ", "SELECT * FROM (VALUES ", ")");
            for (String[] r : rows) {
                StringJoiner v = new StringJoiner(", ", "(", ")");
                for (int i = 0; i < r.length; i++) {
                    v.add(r[i] == null ? "CAST(NULL AS " + types.get(i) + ")"
                            : "CAST('" + r[i].replace("'", "''") + "' AS " + types.get(i) + ")");
                }
                j.add(v.toString());
            }
            sql.append(j).append(" t(").append(String.join(", ", cols)).append(')');
        }
        parquet(c, f, sql.toString());
    }

    /** Writes the rows of any DuckDB query as a parquet file. */
    public static void parquet(Path f, String select) {
        try (Connection c = Duck.open()) {
            parquet(c, f, select);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void parquet(Connection c, Path f, String select) {
        try (Statement st = c.createStatement()) {
            st.execute("COPY (" + select + ") TO " + Duck.sqlPath(f) + " (FORMAT parquet)");
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage() + " in " + select, e);
        }
    }

    /** Writes a .npy file of any numpy dtype descr (e.g. '<i4') and shape from raw little-endian bytes. */
    public static void npy(Path f, String descr, long[] shape, byte[] data) {
        StringBuilder shapeText = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            shapeText.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        shapeText.append(shape.length == 1 ? ",)" : ")");
        String h = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shapeText + ", }";
        int pad = (64 - (10 + h.length() + 1) % 64) % 64;
        h = h + " ".repeat(pad) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + h.length() + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) h.length())
                .put(h.getBytes(StandardCharsets.US_ASCII)).put(data);
        try {
            Files.write(f, b.array());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** int32 values as little-endian bytes. */
    public static byte[] int32(int... v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int x : v) {
            b.putInt(x);
        }
        return b.array();
    }

    /** int64 values as little-endian bytes. */
    public static byte[] int64(long... v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long x : v) {
            b.putLong(x);
        }
        return b.array();
    }

    /** A small valid world: three clients, every event type, properties for every sku, codes of length 3. */
    public static HandWorld small() {
        return new HandWorld()
                .product(10, 1, 5, "[1 2 3]").product(11, 2, 7, "[ 4  5 255]").product(12, 1, 9, "[0 0 0]")
                .buy(1, "2022-01-01 10:00:00", 10).add(1, "2022-01-01 09:59:00", 10)
                .visit(1, "2022-01-01 09:58:00", 500).search(1, "2022-01-01 09:57:00", "[7 8 9]")
                .remove(2, "2022-01-02 00:00:00", 11).visit(2, "2022-01-02 00:00:01", 501)
                .buy(3, "2022-01-03 00:00:00", 12)
                .relevant(1, 2, 3);
    }

    /**
     * Last buy 2022-03-01 12:00:00, so by hand: train target starts trunc(2022-03-01 12:00 − 27 days) = 2022-02-02
     * 00:00:00, validation target starts 2022-02-16 00:00:00 and ends at 2022-03-01 12:00:00 (inclusive). Events sit
     * exactly on each boundary.
     */
    public static HandWorld splittable() {
        return new HandWorld()
                .product(10, 1, 5, "[1 2]").product(11, 2, 7, "[3 4]").product(12, 1, 5, "[5 6]")
                .product(13, 3, 9, "[7 8]").product(20, 4, 9, "[9 9]").product(21, 4, 50, "[0 1]")
                // input buys: sku 10 ×3, 11 ×3, 12 ×1
                .buy(1, "2022-01-10 08:00:00", 10).buy(1, "2022-02-01 23:59:59", 10)
                .buy(2, "2022-01-11 00:00:00", 11).buy(2, "2022-01-12 00:00:00", 11).buy(2, "2022-01-13 00:00:00", 11)
                .buy(3, "2022-01-15 00:00:00", 10).buy(4, "2022-01-20 00:00:00", 12)
                .add(5, "2022-01-05 00:00:00", 13).remove(2, "2022-01-12 00:00:01", 11)
                .search(1, "2022-01-01 00:00:00", "[1 2 3]")
                // train window [02-02, 02-16): skus 20 and 21 are new, 13 is not (added in the input)
                .buy(1, "2022-02-02 00:00:00", 20).buy(2, "2022-02-15 23:59:59", 20).buy(3, "2022-02-10 00:00:00", 21)
                .buy(5, "2022-02-03 00:00:00", 13).buy(1, "2022-02-05 00:00:00", 10)
                // validation window [02-16, 03-01 12:00:00]
                .buy(2, "2022-02-16 00:00:00", 11).buy(4, "2022-03-01 12:00:00", 12)
                // visits: one input, one on the train start (not input), one after the end (nowhere)
                .visit(6, "2022-02-01 23:59:59", 600).visit(6, "2022-02-02 00:00:00", 601)
                .visit(6, "2022-03-01 13:00:00", 602)
                .relevant(9, 6, 3, 2, 1);
    }
}
