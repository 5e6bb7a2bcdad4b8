package dev.ubm.gnn;

import dev.ubm.core.ChallengeDataDir;
import dev.ubm.core.EventType;
import dev.ubm.data.Duck;
import dev.ubm.data.Npy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a hand-made world in the official raw layout (root parquet files with string timestamps, query strings
 * "[c1 c2 ...]", input/relevant_clients.npy) with DuckDB, for graph tests whose counts are checked by hand.
 */
final class TinyWorld {
    private final Map<EventType, List<String>> rows = new EnumMap<>(EventType.class);
    private final List<String> products = new ArrayList<>();
    private long[] relevant = new long[0];

    TinyWorld() {
        for (EventType t : EventType.values()) {
            rows.put(t, new ArrayList<>());
        }
    }

    TinyWorld event(EventType type, long client, String ts, Object item) {
        String it = item instanceof String s ? "'" + s + "'" : String.valueOf(item);
        rows.get(type).add("(" + client + ", '" + ts + "', " + it + ")");
        return this;
    }

    TinyWorld buy(long client, String ts, long sku) {
        return event(EventType.PRODUCT_BUY, client, ts, sku);
    }

    TinyWorld add(long client, String ts, long sku) {
        return event(EventType.ADD_TO_CART, client, ts, sku);
    }

    TinyWorld remove(long client, String ts, long sku) {
        return event(EventType.REMOVE_FROM_CART, client, ts, sku);
    }

    TinyWorld visit(long client, String ts, long url) {
        return event(EventType.PAGE_VISIT, client, ts, url);
    }

    TinyWorld search(long client, String ts, String query) {
        return event(EventType.SEARCH_QUERY, client, ts, query);
    }

    TinyWorld product(long sku, long category, long price) {
        products.add("(" + sku + ", " + category + ", " + price + ", '[1 2 3]')");
        return this;
    }

    TinyWorld relevant(long... ids) {
        relevant = ids;
        return this;
    }

    ChallengeDataDir write(Path root) throws Exception {
        Files.createDirectories(root.resolve("input"));
        try (Connection c = Duck.open()) {
            for (EventType t : EventType.values()) {
                String itemType = t.itemKind() == EventType.ItemKind.QUERY ? "VARCHAR" : "BIGINT";
                Duck.exec(c, "CREATE TABLE t_" + t.stem() + " (client_id BIGINT, timestamp VARCHAR, " + t.itemColumn()
                        + " " + itemType + ")");
                if (!rows.get(t).isEmpty()) {
                    Duck.exec(c, "INSERT INTO t_" + t.stem() + " VALUES " + String.join(", ", rows.get(t)));
                }
                copy(c, "t_" + t.stem(), root.resolve(t.stem() + ".parquet"));
            }
            Duck.exec(c, "CREATE TABLE t_props (sku BIGINT, category BIGINT, price BIGINT, name VARCHAR)");
            if (!products.isEmpty()) {
                Duck.exec(c, "INSERT INTO t_props VALUES " + String.join(", ", products));
            }
            copy(c, "t_props", root.resolve("product_properties.parquet"));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        Npy.writeLongs(root.resolve("input/relevant_clients.npy"), relevant);
        return ChallengeDataDir.open(root);
    }

    private static void copy(Connection c, String table, Path file) {
        Duck.exec(c, "COPY " + table + " TO " + Duck.sqlPath(file) + " (FORMAT parquet)");
    }

    /**
     * The 3-client world of the hand-counted graph test: clients 1, 2, 3 relevant, client 4 only visits; the last
     * event is on 2024-01-10, so the cutoff is 2024-01-11 00:00.
     */
    static TinyWorld threeClients() {
        return new TinyWorld()
                .relevant(1, 2, 3)
                .product(10, 100, 5)
                .product(11, 100, 7).product(12, 101, 5).product(13, 102, 9)
                .buy(1, "2024-01-10 12:00:00", 10).buy(1, "2024-01-09 12:00:00", 10)
                .buy(2, "2024-01-10 00:00:00", 11)
                .add(3, "2024-01-08 00:00:00", 12).add(1, "2024-01-10 00:00:00", 11)
                .remove(3, "2024-01-09 00:00:00", 12)
                .visit(1, "2024-01-10 00:00:00", 500).visit(1, "2024-01-10 00:00:00", 500)
                .visit(2, "2024-01-10 00:00:00", 500).visit(3, "2024-01-10 00:00:00", 501)
                .visit(4, "2024-01-10 00:00:00", 500)
                .search(2, "2024-01-10 00:00:00", "[1 2 3 4 5]").search(3, "2024-01-09 00:00:00", "[ 1  2 3 9 9]")
                .search(1, "2024-01-10 00:00:00", "[7 7 7 1]");
    }
}
