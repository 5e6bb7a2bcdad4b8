package dev.ubm.data.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ubm.core.BadInputException;
import dev.ubm.core.Progress;
import dev.ubm.data.Duck;
import dev.ubm.data.Npy;
import dev.ubm.data.SplitWindows;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The structured profile plants what it says (docs/synth.md); the default profile's world is the one it always was. */
class ProfileTest {
    static final long SEED = 11;

    @TempDir
    static Path tmp;
    static SynthConfig structured;
    static Path plain;
    static Path rich;

    @BeforeAll
    static void generate() {
        Progress.setEnabled(false);
        structured = SynthConfig.tiny(SEED).withProfile(Profile.STRUCTURED);
        plain = tmp.resolve("default");
        rich = tmp.resolve("structured");
        SyntheticWorld.generate(SynthConfig.tiny(SEED), plain);
        SyntheticWorld.generate(structured, rich);
    }

    /**
     * Row counts and sums of ids, epoch seconds and items of every file, as the default profile wrote them for
     * SynthConfig.tiny(11) before profiles existed: the default world (and its futures) did not change.
     */
    @Test
    void defaultProfileWritesTheWorldItAlwaysWrote() throws Exception {
        String[][] expected = {
            {"product_buy", "820 8129314 1358601283984 1358060"},
            {"add_to_cart", "1713 16759791 2838212838145 2840865"},
            {"remove_from_cart", "316 3096173 523593423264 528073"},
            {"page_visit", "14868 147996650 24633677124975 12675121"},
            {"search_query", "1270 12857495 2104197470170 82550"},
            {"product_properties", "269 445047 0 13396"},
            {"oracle/futures", "15158 154146317 25141753825391 24093995"}};
        String[] got = new String[expected.length];
        String[] want = new String[expected.length];
        for (int i = 0; i < expected.length; i++) {
            want[i] = expected[i][0] + " " + expected[i][1];
            got[i] = expected[i][0] + " " + fingerprint(plain, expected[i][0]);
        }
        assertArrayEquals(want, got);
    }

    private static String fingerprint(Path world, String f) throws SQLException {
        String col = f.equals("page_visit") ? "url" : f.equals("search_query") ? "length(query)"
                : f.equals("product_properties") ? "price" : "sku";
        String ts = f.equals("product_properties") ? "0" : "epoch(CAST(timestamp AS TIMESTAMP))";
        String id = f.equals("product_properties") ? "sku" : "client_id";
        try (Connection c = Duck.open(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT count(*), sum(" + id + "), sum(" + ts + "), sum(" + col + ") FROM read_parquet("
                        + Duck.sqlPath(world.resolve(f + ".parquet")) + ")")) {
            rs.next();
            return rs.getLong(1) + " " + rs.getLong(2) + " " + rs.getLong(3) + " " + rs.getLong(4);
        }
    }

    /**
     * Circles: of the validation-window buys of skus the client had not bought before, the share that falls in
     * the client's circle is far above chance (1 / circles) and above the default world's share (the same circle
     * map and the same client circles, not planted there).
     */
    @Test
    void structuredClientsBuyOtherSkusOfTheirCircleInTheTargetWindow() throws Exception {
        Catalog cat = new Catalog(structured);
        double rich = ownCircleShare(cat, ProfileTest.rich);
        double plain = ownCircleShare(cat, ProfileTest.plain);
        double chance = 1.0 / cat.nCircles;
        assertTrue(rich > 2.5 * chance && rich > 2 * plain, "own-circle share of new buys: structured " + rich
                + ", default " + plain + ", chance " + chance);
        assertTrue(plain < 2 * chance, "default: own-circle share " + plain + ", chance " + chance);
    }

    private static double ownCircleShare(Catalog cat, Path world) throws SQLException {
        try (Connection c = Duck.open()) {
            circleTables(c, cat);
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("WITH b AS (SELECT client_id, sku, "
                    + "min(CAST(timestamp AS TIMESTAMP)) ts FROM read_parquet(" + Duck.sqlPath(world.resolve(
                            "product_buy.parquet")) + ") GROUP BY 1, 2) SELECT avg(CASE WHEN k.circle = s.circle "
                    + "THEN 1.0 ELSE 0 END), count(*) FROM b JOIN skucircle s USING (sku) JOIN clientcircle k USING "
                    + "(client_id) WHERE b.ts >= TIMESTAMP '" + validationStart(world) + "'")) {
                rs.next();
                assertTrue(rs.getLong(2) >= 100, "too few new buys in the window: " + rs.getLong(2));
                return rs.getDouble(1);
            }
        }
    }

    /** Tables skucircle (sku id, circle) and clientcircle (client id, circle) of the structured config. */
    private static void circleTables(Connection c, Catalog cat) throws SQLException {
        Duck.exec(c, "CREATE TABLE skucircle (sku BIGINT, circle INTEGER)");
        Duck.exec(c, "CREATE TABLE clientcircle (client_id BIGINT, circle INTEGER)");
        DuckDBConnection dc = c.unwrap(DuckDBConnection.class);
        try (DuckDBAppender a = dc.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "skucircle")) {
            for (int s = 0; s < cat.nSku; s++) {
                a.beginRow().append(cat.skuId[s]).append(cat.skuCircle[s]).endRow();
            }
        }
        long[] ids = SyntheticWorld.clientIds(structured);
        try (DuckDBAppender a = dc.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "clientcircle")) {
            for (int i = 0; i < ids.length; i++) {
                Client k = Client.draw(cat, structured, i);
                if (!k.bot) {
                    a.beginRow().append(ids[i]).append(k.circle).endRow();
                }
            }
        }
    }

    private static String validationStart(Path world) {
        return Oracle.open(world).validationStart().format(SplitWindows.TIMESTAMP);
    }

    /**
     * The catalog is dealt into circles of about {@link Profile#CIRCLE_SIZE} skus (sizes differ by at most one),
     * every sku in one; circles span many categories and most hold new skus. The default catalog has none.
     */
    @Test
    void structuredCirclesSpanManyCategoriesAndHoldNewSkus() {
        Catalog cat = new Catalog(structured);
        assertEquals(Math.max(1, Math.round((double) cat.nSku / Profile.CIRCLE_SIZE)), cat.nCircles);
        int min = Integer.MAX_VALUE;
        int max = 0;
        int withNew = 0;
        int newSkus = 0;
        boolean[] seen = new boolean[cat.nSku];
        for (int i = 0; i < cat.nCircles; i++) {
            int size = cat.circleStart[i + 1] - cat.circleStart[i];
            min = Math.min(min, size);
            max = Math.max(max, size);
            java.util.Set<Integer> cats = new java.util.HashSet<>();
            int news = 0;
            for (int j = cat.circleStart[i]; j < cat.circleStart[i + 1]; j++) {
                int s = cat.circleSkus[j];
                assertEquals(i, cat.skuCircle[s]);
                assertTrue(!seen[s], "sku " + s + " in two circles");
                seen[s] = true;
                cats.add(cat.skuCat[s]);
                news += cat.skuNew[s] ? 1 : 0;
                if (j > cat.circleStart[i]) {
                    assertTrue(cat.skuRelease[cat.circleSkus[j - 1]] <= cat.skuRelease[s], "circle not by release");
                }
            }
            assertTrue(cats.size() >= size / 2, "circle " + i + ": " + cats.size() + " categories in " + size);
            withNew += news > 0 ? 1 : 0;
            newSkus += news;
        }
        assertEquals(cat.nSku, cat.circleSkus.length);
        assertTrue(max - min <= 1 && min >= Profile.CIRCLE_SIZE * 0.9 && max <= Profile.CIRCLE_SIZE * 1.1,
                "circle sizes " + min + ".." + max);
        assertTrue(newSkus > 0 && withNew >= 0.75 * cat.nCircles, withNew + " of " + cat.nCircles
                + " circles hold new skus");
        Catalog plainCat = new Catalog(SynthConfig.tiny(SEED));
        assertEquals(0, plainCat.nCircles);
        assertTrue(plainCat.skuCircle == null && Client.draw(plainCat, SynthConfig.tiny(SEED), 0).circle == -1);
    }

    /**
     * The oracle includes the circle sessions: over the relevant clients and every sku, the summed oracle
     * probability of (client, sku of the client's circle) pairs and of all other pairs each matches the number of
     * such pairs bought in the realised validation window, within four standard errors and 25%.
     */
    @Test
    void structuredOracleIsCalibratedOnOwnCircleAndOtherPairs() throws Exception {
        Catalog cat = new Catalog(structured);
        Oracle oracle = Oracle.open(rich);
        long[] rel = Npy.readLongs(rich.resolve("input").resolve("relevant_clients.npy"));
        long[] ids = SyntheticWorld.clientIds(structured);
        float[][] p = oracle.labelProbabilities(rel, "sku", cat.skuId);
        java.util.Map<Long, Integer> skuIndex = new java.util.HashMap<>();
        for (int s = 0; s < cat.nSku; s++) {
            skuIndex.put(cat.skuId[s], s);
        }
        java.util.Set<Long> bought = new java.util.HashSet<>();
        try (Connection c = Duck.open(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT DISTINCT client_id, sku FROM read_parquet(" + Duck.sqlPath(rich.resolve("product_buy.parquet"))
                        + ") WHERE CAST(timestamp AS TIMESTAMP) >= TIMESTAMP '" + validationStart(rich) + "'")) {
            while (rs.next()) {
                bought.add(rs.getLong(1) * cat.nSku + skuIndex.get(rs.getLong(2)));
            }
        }
        double[] expected = new double[2];
        double[] variance = new double[2];
        long[] realised = new long[2];
        for (int q = 0; q < rel.length; q++) {
            Client k = Client.draw(cat, structured, java.util.Arrays.binarySearch(ids, rel[q]));
            for (int s = 0; s < cat.nSku; s++) {
                int own = cat.skuCircle[s] == k.circle ? 0 : 1;
                expected[own] += p[q][s];
                variance[own] += p[q][s] * (1 - p[q][s]);
                realised[own] += bought.contains(rel[q] * cat.nSku + s) ? 1 : 0;
            }
        }
        String msg = String.format("own circle: oracle %.1f, realised %d; other pairs: oracle %.1f, realised %d",
                expected[0], realised[0], expected[1], realised[1]);
        System.out.println(msg);
        for (int i = 0; i < 2; i++) {
            double gap = Math.abs(realised[i] - expected[i]);
            assertTrue(realised[i] >= 30 && gap < 4 * Math.sqrt(variance[i]) && gap < 0.25 * expected[i], msg);
        }
        // per pair, own-circle skus are far likelier than others, in the oracle and in the realised window
        int perClient = cat.circleStart[1] - cat.circleStart[0];
        assertTrue(realised[0] / (double) perClient > 3 * realised[1] / (double) (cat.nSku - perClient), msg);
    }

    /**
     * Drift: of two consecutive cart-adding days of a client, the share whose first added sku's category is a
     * successor of the previous day's category is over twice the default world's (the same successor map, not
     * planted there).
     */
    @Test
    void structuredSessionsDriftToTheSuccessorsOfTheLastCategory() throws Exception {
        Catalog cat = new Catalog(structured);
        double rich = successorShare(cat, ProfileTest.rich);
        double plain = successorShare(cat, ProfileTest.plain);
        assertTrue(rich > 2 * plain && rich > 0.15, "successor share: structured " + rich + ", default " + plain);
    }

    private static double successorShare(Catalog cat, Path world) throws SQLException {
        try (Connection c = Duck.open()) {
            Duck.exec(c, "CREATE TABLE skucat (sku BIGINT, cat INTEGER)");
            Duck.exec(c, "CREATE TABLE succ (a INTEGER, b INTEGER)");
            DuckDBConnection dc = c.unwrap(DuckDBConnection.class);
            try (DuckDBAppender a = dc.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "skucat")) {
                for (int s = 0; s < cat.nSku; s++) {
                    a.beginRow().append(cat.skuId[s]).append(cat.skuCat[s]).endRow();
                }
            }
            try (DuckDBAppender a = dc.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "succ")) {
                for (int k = 0; k < cat.nCat; k++) {
                    for (int j = 0; j < Profile.SUCCESSORS; j++) {
                        a.beginRow().append(k).append(cat.catNext[k * Profile.SUCCESSORS + j]).endRow();
                    }
                }
            }
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("WITH d AS (SELECT client_id, "
                    + "substr(timestamp, 1, 10) AS dd, arg_min(cat, timestamp) cat FROM read_parquet(" + Duck.sqlPath(
                            world.resolve("add_to_cart.parquet")) + ") JOIN skucat USING (sku) GROUP BY 1, 2), "
                    + "q AS (SELECT cat, lag(cat) OVER (PARTITION BY client_id ORDER BY dd) prev FROM d) "
                    + "SELECT avg(CASE WHEN EXISTS (SELECT 1 FROM succ WHERE a = q.prev AND b = q.cat) THEN 1.0 ELSE 0 "
                    + "END) FROM q WHERE prev IS NOT NULL")) {
                rs.next();
                return rs.getDouble(1);
            }
        }
    }

    /** Bots: a few clients with many page visits and no product event at all. */
    @Test
    void structuredWorldHasAFewBotsThatOnlyBrowse() throws Exception {
        try (Connection c = Duck.open(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "WITH v AS (SELECT client_id, count(*) n FROM read_parquet(" + Duck.sqlPath(rich.resolve(
                        "page_visit.parquet")) + ") GROUP BY 1), p AS (SELECT DISTINCT client_id FROM read_parquet("
                        + Duck.sqlPath(rich.resolve("add_to_cart.parquet")) + ")) SELECT count(*) FROM v ANTI JOIN p "
                        + "USING (client_id) WHERE n >= 300")) {
            rs.next();
            long bots = rs.getLong(1);
            assertTrue(bots >= 1 && bots <= 20, "clients with >= 300 visits and no cart add: " + bots);
        }
    }

    @Test
    void profilesAreNamedAndTheConfigRoundTripsThroughItsMap() {
        assertEquals(Profile.STRUCTURED, Profile.of("structured"));
        BadInputException e = assertThrows(BadInputException.class, () -> Profile.of("nope"));
        assertTrue(e.getMessage().contains("default, structured"), e.getMessage());
        assertEquals(structured, SynthConfig.fromMap(dev.ubm.core.Json.parseObject(dev.ubm.core.Json.write(
                structured.toMap()))));
    }
}
