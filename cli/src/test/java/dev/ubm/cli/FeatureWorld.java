package dev.ubm.cli;

import dev.ubm.data.Duck;
import dev.ubm.data.Npy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;

/**
 * A small random world in the raw challenge layout, generated with DuckDB SQL, for the features / combine /
 * validate CLI tests (until the data module's TestWorlds is available to CLI tests).
 */
final class FeatureWorld {
    private FeatureWorld() {
    }

    /** 60 clients, 40 relevant (ids 1..40; 36..40 have no events), 30 days ending 2022-06-30. */
    static Path write(Path dir) throws Exception {
        Files.createDirectories(dir.resolve("input"));
        Files.createDirectories(dir.resolve("target"));
        try (Connection c = Duck.open()) {
            String ts = "strftime(TIMESTAMP '2022-06-01 00:00:00' + to_seconds(CAST(floor(random() * 30 * 86400) AS BIGINT)), '%Y-%m-%d %H:%M:%S')";
            Duck.exec(c, "SELECT setseed(0.42)");
            String clients = "CAST(1 + floor(random() * 35) AS BIGINT) + CASE WHEN random() < 0.3 THEN 40 ELSE 0 END";
            for (String[] t : new String[][] {{"product_buy", "sku", "60"}, {"add_to_cart", "sku", "150"},
                {"remove_from_cart", "sku", "50"}, {"page_visit", "url", "600"}}) {
                Duck.exec(c, "COPY (SELECT " + clients + " AS client_id, " + ts + " AS timestamp, CAST(floor(random() * 30) AS BIGINT) AS "
                        + t[1] + " FROM range(" + t[2] + ")) TO " + Duck.sqlPath(dir.resolve(t[0] + ".parquet")) + " (FORMAT parquet)");
            }
            String codes = String.join(", ", java.util.Collections.nCopies(16, "CAST(floor(random() * 256) AS INT)"));
            Duck.exec(c, "COPY (SELECT " + clients + " AS client_id, " + ts + " AS timestamp, '[' || array_to_string(["
                    + codes + "], ' ') || ']' AS query FROM range(80)) TO " + Duck.sqlPath(dir.resolve("search_query.parquet")) + " (FORMAT parquet)");
            Duck.exec(c, "COPY (SELECT CAST(range AS BIGINT) AS sku, CAST(range % 7 AS BIGINT) AS category, "
                    + "CAST((range * 37) % 100 AS BIGINT) AS price, '[1 2 3]' AS name FROM range(30)) TO "
                    + Duck.sqlPath(dir.resolve("product_properties.parquet")) + " (FORMAT parquet)");
        }
        long[] relevant = new long[40];
        for (int i = 0; i < 40; i++) {
            relevant[i] = i + 1;
        }
        Npy.writeLongs(dir.resolve("input/relevant_clients.npy"), relevant);
        Npy.writeLongs(dir.resolve("target/propensity_category.npy"), new long[] {0, 1, 2, 3});
        Npy.writeLongs(dir.resolve("target/propensity_sku.npy"), new long[] {5, 6, 7});
        return dir;
    }
}
