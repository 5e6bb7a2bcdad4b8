package dev.ubm.features;

import dev.ubm.data.Duck;
import dev.ubm.data.Npy;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The benchmark world at 1/1000 of the challenge's size keeps the challenge's shape. */
class BenchWorldTest {
    private static final double SCALE = 0.001;
    @TempDir
    static Path dir;
    private static BenchWorld.Shape shape;
    private static Map<String, Long> rows;

    @BeforeAll
    static void generate() throws Exception {
        shape = BenchWorld.Shape.challenge(SCALE);
        rows = BenchWorld.write(dir, shape, 7);
    }

    private static String file(String name) {
        return "read_parquet(" + Duck.sqlPath(dir.resolve(name + ".parquet")) + ")";
    }

    private static double[] doubles(String sql) throws Exception {
        try (Connection c = Duck.open(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            double[] out = new double[rs.getMetaData().getColumnCount()];
            for (int i = 0; i < out.length; i++) {
                out[i] = rs.getDouble(i + 1);
            }
            return out;
        }
    }

    private static String allEvents() {
        return "(SELECT client_id, timestamp FROM " + file("product_buy") + " UNION ALL SELECT client_id, timestamp FROM "
                + file("add_to_cart") + " UNION ALL SELECT client_id, timestamp FROM " + file("remove_from_cart")
                + " UNION ALL SELECT client_id, timestamp FROM " + file("page_visit")
                + " UNION ALL SELECT client_id, timestamp FROM " + file("search_query") + ")";
    }

    @Test
    void eventsPerTypeFollowTheChallengeWithinFifteenPercent() {
        long realTotal = Arrays.stream(BenchWorld.Shape.REAL_EVENTS).sum();
        long total = rows.get("events");
        for (int t = 0; t < 5; t++) {
            double want = BenchWorld.Shape.REAL_EVENTS[t] * SCALE;
            double got = rows.get(BenchWorld.TYPES[t]);
            assertTrue(Math.abs(got / want - 1) < 0.15, BenchWorld.TYPES[t] + ": " + got + " rows, want about " + want);
        }
        assertTrue(rows.get("page_visit") > 0.85 * total, "page visits dominate: " + rows);
        assertTrue(Math.abs(total / (realTotal * SCALE) - 1) < 0.15, "events " + total + " vs " + realTotal * SCALE);
    }

    @Test
    void everyClientHasEventsAndActivityIsHeavyTailed() throws Exception {
        double[] q = doubles("SELECT COUNT(*), AVG(n), MEDIAN(n), QUANTILE_CONT(n, 0.99), MAX(n) FROM "
                + "(SELECT client_id, COUNT(*) AS n FROM " + allEvents() + " GROUP BY client_id)");
        assertEquals(shape.clients(), (long) q[0], "clients with events");
        assertTrue(q[1] > 7.5 && q[1] < 11.5, "mean events per client " + q[1] + " (real 9.4)");
        assertTrue(q[2] <= 3, "median " + q[2] + " (real 2)");
        assertTrue(q[3] > 60, "p99 " + q[3] + " (real 119)");
        assertTrue(q[4] > 30 * q[1], "max " + q[4] + " against mean " + q[1]);
    }

    @Test
    void relevantClientsAreExactlyTheShareOfTheChallengeAndMoreActive() throws Exception {
        long[] relevant = Npy.readLongs(dir.resolve("input/relevant_clients.npy"));
        assertEquals(1000, relevant.length);
        assertEquals(relevant.length, Arrays.stream(relevant).distinct().count());
        String ids = String.join(",", Arrays.stream(relevant).mapToObj(Long::toString).toList());
        double[] q = doubles("SELECT COUNT(DISTINCT client_id) FILTER (WHERE client_id IN (" + ids + ")), "
                + "MEDIAN(n) FILTER (WHERE client_id IN (" + ids + ")) FROM (SELECT client_id, COUNT(*) AS n FROM "
                + allEvents() + " GROUP BY client_id)");
        assertEquals(1000, (long) q[0], "relevant clients with events");
        assertTrue(q[1] >= 10 && q[1] <= 20, "relevant median " + q[1] + " (real, capped at 128: 15)");
    }

    @Test
    void itemsStayInsideTheCatalogueAndSpreadOverIt() throws Exception {
        assertEquals(1260, shape.skus());
        double[] p = doubles("SELECT COUNT(*), COUNT(DISTINCT sku), MIN(price), MAX(price), COUNT(DISTINCT category), "
                + "COUNT(*) FILTER (WHERE NOT regexp_full_match(name, '\\[( *[0-9]{1,3}){16}\\]')), COUNT(DISTINCT name) FROM "
                + file("product_properties"));
        assertTrue(p[6] > 0.99 * shape.skus(), "distinct names " + p[6]);
        assertEquals(shape.skus(), (long) p[0]);
        assertEquals(shape.skus(), (long) p[1]);
        assertTrue(p[2] == 0 && p[3] == 99, "price buckets 0..99");
        assertTrue(p[4] >= 100, "categories " + p[4]);
        assertEquals(0, (long) p[5], "names in the '[c1 c2 ...]' layout");
        for (String type : new String[] {"product_buy", "add_to_cart", "remove_from_cart"}) {
            double[] s = doubles("SELECT COUNT(*) FILTER (WHERE sku NOT IN (SELECT sku FROM " + file("product_properties")
                    + ")) FROM " + file(type));
            assertEquals(0, (long) s[0], type + " skus without properties");
        }
        double[] u = doubles("SELECT COUNT(DISTINCT url), MIN(url), MAX(url) FROM " + file("page_visit"));
        assertTrue(u[0] > 0.5 * shape.urls() && u[2] <= shape.urls() && u[1] >= 1, "distinct urls " + u[0] + " of " + shape.urls());
        double[] s = doubles("SELECT COUNT(DISTINCT sku) FROM (SELECT sku FROM " + file("product_buy")
                + " UNION ALL SELECT sku FROM " + file("add_to_cart") + ")");
        assertTrue(s[0] > 0.5 * shape.skus(), "distinct skus in events " + s[0]);
    }

    @Test
    void timestampsAndQueriesAreStringsInTheChallengeLayout() throws Exception {
        double[] t = doubles("SELECT COUNT(*) FILTER (WHERE CAST(timestamp AS TIMESTAMP) < TIMESTAMP '2022-05-25' "
                + "OR CAST(timestamp AS TIMESTAMP) >= TIMESTAMP '2022-11-10'), "
                + "COUNT(DISTINCT CAST(CAST(timestamp AS TIMESTAMP) AS DATE)), "
                + "AVG(CASE WHEN CAST(timestamp AS TIMESTAMP) >= TIMESTAMP '2022-10-13' THEN 1 ELSE 0 END) FROM " + allEvents());
        assertEquals(0, (long) t[0], "events outside the period");
        assertTrue(t[1] == 169, "days with events " + t[1]);
        // the split's two target windows (28 of 169 days) hold about their share of the events, not a pile-up
        assertTrue(t[2] > 0.12 && t[2] < 0.22, "share of events in the last 28 days " + t[2]);
        double[] q = doubles("SELECT COUNT(*) FILTER (WHERE NOT regexp_full_match(query, '\\[( *[0-9]{1,3}){16}\\]')) FROM "
                + file("search_query"));
        assertEquals(0, (long) q[0], "queries in the '[c1 c2 ...]' layout");
        double[] d = doubles("SELECT COUNT(DISTINCT query), COUNT(DISTINCT CAST(timestamp AS TIMESTAMP)) FROM " + file("search_query"));
        assertTrue(d[0] > 0.2 * shape.queries(), "distinct queries " + d[0] + " of " + shape.queries());
        assertTrue(Files.readString(dir.resolve("world.json")).contains("\"relevant_clients\": 1000"));
    }
}
