package dev.ubm.features;

import dev.ubm.data.Duck;
import dev.ubm.data.Npy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A benchmark world in the raw challenge layout generated with DuckDB SQL (no signal, only realistic volumes and
 * shapes: heavy-tailed activity, ~86% page visits, Zipf-like items, string timestamps and query codes), for
 * measuring feature throughput before/without {@code ubm synth}. Usage:
 * {@code BenchWorld OUT CLIENTS RELEVANT DAYS EVENTS_PER_CLIENT SEED}.
 */
public final class BenchWorld {
    private BenchWorld() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        long clients = Long.parseLong(args[1]);
        long relevant = Long.parseLong(args[2]);
        int days = Integer.parseInt(args[3]);
        double perClient = Double.parseDouble(args[4]);
        double seed = (Long.parseLong(args[5]) % 1000) / 1000.0;
        Files.createDirectories(out.resolve("input"));
        Files.createDirectories(out.resolve("target"));
        long t0 = System.nanoTime();
        try (Connection c = Duck.open()) {
            Duck.exec(c, "SET temp_directory = " + Duck.sqlPath(out.resolve(".spill")));
            Duck.exec(c, "SELECT setseed(" + seed + ")");
            // lognormal activity with mean perClient (sigma 1.5); relevant clients are ids 1..relevant
            double mu = Math.log(perClient) - 1.5 * 1.5 / 2;
            Duck.exec(c, "CREATE TABLE cl AS SELECT range + 1 AS client_id, "
                    + "CAST(GREATEST(0, round(exp(" + mu + " + 1.5 * sqrt(-2 * ln(random())) * cos(2 * pi() * random())))) AS BIGINT) AS n, "
                    + "random() * " + days + " AS start_day FROM range(" + clients + ")");
            long skus = Math.max(1000, clients / 10);
            long urls = Math.max(5000, clients / 2);
            Duck.exec(c, "CREATE TABLE ev AS SELECT client_id, "
                    + "CASE WHEN u < 0.86 THEN 3 WHEN u < 0.91 THEN 4 WHEN u < 0.96 THEN 1 WHEN u < 0.975 THEN 2 ELSE 0 END AS t, "
                    + "TIMESTAMP '2022-06-01 00:00:00' + to_seconds(CAST((start_day + random() * (" + days + " - start_day)) * 86400 AS BIGINT)) AS ts, "
                    + "CAST(floor(exp(random() * ln(" + skus + "))) AS BIGINT) AS sku, "
                    + "CAST(floor(exp(random() * ln(" + urls + "))) AS BIGINT) AS url "
                    + "FROM (SELECT client_id, start_day, random() AS u FROM (SELECT client_id, start_day, unnest(range(n)) FROM cl))");
            String[][] types = {{"0", "product_buy", "sku"}, {"1", "add_to_cart", "sku"}, {"2", "remove_from_cart", "sku"},
                {"3", "page_visit", "url"}};
            for (String[] t : types) {
                Duck.exec(c, "COPY (SELECT client_id, strftime(ts, '%Y-%m-%d %H:%M:%S') AS timestamp, " + t[2]
                        + " FROM ev WHERE t = " + t[0] + ") TO " + Duck.sqlPath(out.resolve(t[1] + ".parquet"))
                        + " (FORMAT parquet)");
            }
            List<String> codes = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                codes.add("lpad(CAST(CAST(floor(random() * 256) AS INT) AS VARCHAR), 3, ' ')");
            }
            Duck.exec(c, "COPY (SELECT client_id, strftime(ts, '%Y-%m-%d %H:%M:%S') AS timestamp, '[' || "
                    + String.join(" || ' ' || ", codes) + " || ']' AS query FROM ev WHERE t = 4) TO "
                    + Duck.sqlPath(out.resolve("search_query.parquet")) + " (FORMAT parquet)");
            Duck.exec(c, "COPY (SELECT range AS sku, range % 6000 AS category, (range * 37) % 100 AS price, "
                    + "'[  1   2   3   4   5   6   7   8   9  10  11  12  13  14  15  16]' AS name FROM range(" + (skus + 1)
                    + ")) TO " + Duck.sqlPath(out.resolve("product_properties.parquet")) + " (FORMAT parquet)");
            long[] rel = new long[(int) relevant];
            for (int i = 0; i < rel.length; i++) {
                rel[i] = i + 1;
            }
            Npy.writeLongs(out.resolve("input/relevant_clients.npy"), rel);
            Npy.writeLongs(out.resolve("target/propensity_sku.npy"), top(c, "SELECT sku FROM ev WHERE t = 0 GROUP BY sku ORDER BY COUNT(*) DESC, sku LIMIT 100"));
            Npy.writeLongs(out.resolve("target/propensity_category.npy"), top(c, "SELECT sku % 6000 AS cat FROM ev WHERE t = 0 GROUP BY cat ORDER BY COUNT(*) DESC, cat LIMIT 100"));
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*), COUNT(*) FILTER (WHERE client_id <= " + relevant + ") FROM ev")) {
                rs.next();
                System.out.printf("bench world %s: %d clients (%d relevant), %d events (%d of relevant clients), %.1f s%n",
                        out, clients, relevant, rs.getLong(1), rs.getLong(2), (System.nanoTime() - t0) / 1e9);
            }
        }
    }

    private static long[] top(Connection c, String sql) throws Exception {
        List<Long> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getLong(1));
            }
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }
}
