package dev.ubm.features;

import dev.ubm.core.ChallengeDataDir;
import dev.ubm.data.Duck;
import dev.ubm.data.Npy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A hand-written world in the official raw layout (parquet at the root, timestamps as strings, input/relevant_clients.npy,
 * optional target lists), written with DuckDB, for tests whose expected values are computed by hand.
 */
final class TinyWorld {
    private final List<String> buys = new ArrayList<>();
    private final List<String> adds = new ArrayList<>();
    private final List<String> removes = new ArrayList<>();
    private final List<String> visits = new ArrayList<>();
    private final List<String> searches = new ArrayList<>();
    private final List<String> props = new ArrayList<>();
    private long[] relevant = new long[0];
    private long[] targetCategories;
    private long[] targetSkus;
    private long[] newSkus;

    TinyWorld buy(long client, String ts, long sku) {
        buys.add(client + ", '" + ts + "', " + sku);
        return this;
    }

    TinyWorld add(long client, String ts, long sku) {
        adds.add(client + ", '" + ts + "', " + sku);
        return this;
    }

    TinyWorld remove(long client, String ts, long sku) {
        removes.add(client + ", '" + ts + "', " + sku);
        return this;
    }

    TinyWorld visit(long client, String ts, long url) {
        visits.add(client + ", '" + ts + "', " + url);
        return this;
    }

    TinyWorld search(long client, String ts, String query) {
        searches.add(client + ", '" + ts + "', '" + query + "'");
        return this;
    }

    TinyWorld product(long sku, long category, long price) {
        props.add(sku + ", " + category + ", " + price + ", '[1 2 3]'");
        return this;
    }

    TinyWorld relevant(long... ids) {
        relevant = ids;
        return this;
    }

    TinyWorld targets(long[] categories, long[] skus) {
        targetCategories = categories;
        targetSkus = skus;
        return this;
    }

    /** The new-sku target list (target/propensity_new_sku.npy), or null for none. */
    TinyWorld newSkus(long[] skus) {
        newSkus = skus;
        return this;
    }

    ChallengeDataDir write(Path dir) throws Exception {
        Files.createDirectories(dir.resolve("input"));
        try (Connection c = Duck.open()) {
            table(c, dir, "product_buy", "sku BIGINT", buys);
            table(c, dir, "add_to_cart", "sku BIGINT", adds);
            table(c, dir, "remove_from_cart", "sku BIGINT", removes);
            table(c, dir, "page_visit", "url BIGINT", visits);
            table(c, dir, "search_query", "query VARCHAR", searches);
            Duck.exec(c, "CREATE TABLE product_properties (sku BIGINT, category BIGINT, price BIGINT, name VARCHAR)");
            insert(c, "product_properties", props);
            Duck.exec(c, "COPY product_properties TO " + Duck.sqlPath(dir.resolve("product_properties.parquet"))
                    + " (FORMAT parquet)");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        Npy.writeLongs(dir.resolve("input/relevant_clients.npy"), relevant);
        if (targetCategories != null) {
            Files.createDirectories(dir.resolve("target"));
            Npy.writeLongs(dir.resolve("target/propensity_category.npy"), targetCategories);
            Npy.writeLongs(dir.resolve("target/propensity_sku.npy"), targetSkus);
        }
        if (newSkus != null) {
            Files.createDirectories(dir.resolve("target"));
            Npy.writeLongs(dir.resolve("target/propensity_new_sku.npy"), newSkus);
        }
        return ChallengeDataDir.open(dir);
    }

    private static void table(Connection c, Path dir, String name, String item, List<String> rows) {
        Duck.exec(c, "CREATE TABLE " + name + " (client_id BIGINT, timestamp VARCHAR, " + item + ")");
        insert(c, name, rows);
        Duck.exec(c, "COPY " + name + " TO " + Duck.sqlPath(dir.resolve(name + ".parquet")) + " (FORMAT parquet)");
    }

    private static void insert(Connection c, String name, List<String> rows) {
        if (!rows.isEmpty()) {
            Duck.exec(c, "INSERT INTO " + name + " VALUES (" + String.join("), (", rows) + ")");
        }
    }

    /**
     * The hand-checked world of the feature tests (cutoff 2022-07-01 00:00:00): client 1 is active, client 2 has one
     * old page visit, client 3 is relevant without events, client 4 is not relevant. The new skus 103 (category 10)
     * and 104 (category 11) have no event; 105 has no properties either.
     */
    static TinyWorld threeClients() {
        String q = "[ 1  2  3  4  5  6  7  8  9 10 11 12 13 14 15 16]";
        return new TinyWorld()
                .product(100, 10, 50).product(101, 11, 90).product(102, 12, 10)
                .product(103, 10, 55).product(104, 11, 20)
                .buy(1, "2022-06-30 10:00:00", 100)
                .add(1, "2022-06-30 09:50:00", 100)
                .add(1, "2022-06-25 12:00:00", 101)
                .remove(1, "2022-06-26 08:00:00", 101)
                .visit(1, "2022-06-01 00:00:00", 7)
                .visit(1, "2022-06-30 09:40:00", 8)
                .search(1, "2022-06-20 12:00:00", q)
                .visit(2, "2022-05-01 12:00:00", 7)
                .buy(4, "2022-06-30 23:00:00", 102)
                .visit(4, "2022-06-30 23:30:00", 9)
                .relevant(3, 1, 2)
                .targets(new long[] {10, 12}, new long[] {100, 101})
                .newSkus(new long[] {103, 105, 104});
    }
}
