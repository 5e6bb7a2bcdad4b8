package dev.ubm.data.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ubm.core.BadInputException;
import dev.ubm.core.Progress;
import dev.ubm.data.Duck;

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
     * Bundles: among clients who bought a sku A, the share who buy A's partner later is far above the share of
     * all buyers who ever buy that partner; in the default world (same partner map, not planted) it is not.
     */
    @Test
    void structuredBuyersOfASkuBuyItsBundlePartnerSoonAfter() throws Exception {
        Catalog cat = new Catalog(structured);
        double[] rich = partnerLift(cat, ProfileTest.rich);
        double[] plain = partnerLift(cat, ProfileTest.plain);
        assertTrue(rich[0] > 5 * rich[1] && rich[0] > 0.2, "structured: P(partner after A) " + rich[0]
                + " vs baseline " + rich[1]);
        assertTrue(plain[0] < 3 * plain[1] + 0.02, "default: P(partner after A) " + plain[0] + " vs baseline "
                + plain[1]);
    }

    /** {P(buy partner(A) after the first buy of A), mean over A of P(a buyer ever buys partner(A))}. */
    private static double[] partnerLift(Catalog cat, Path world) throws SQLException {
        try (Connection c = Duck.open()) {
            Duck.exec(c, "CREATE TABLE pair (a BIGINT, b BIGINT)");
            try (DuckDBAppender a = c.unwrap(DuckDBConnection.class).createAppender(DuckDBConnection.DEFAULT_SCHEMA,
                    "pair")) {
                for (int s = 0; s < cat.nSku; s++) {
                    if (cat.skuPartner[s] >= 0) {
                        a.beginRow().append(cat.skuId[s]).append(cat.skuId[cat.skuPartner[s]]).endRow();
                    }
                }
            }
            Duck.exec(c, "CREATE VIEW buys AS SELECT client_id, CAST(timestamp AS TIMESTAMP) ts, sku FROM "
                    + "read_parquet(" + Duck.sqlPath(world.resolve("product_buy.parquet")) + ")");
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("WITH first AS (SELECT client_id, "
                    + "sku, min(ts) ts FROM buys GROUP BY 1, 2), buyers AS (SELECT count(DISTINCT client_id) n FROM "
                    + "buys), base AS (SELECT p.a, count(DISTINCT f.client_id) / any_value(buyers.n) share FROM pair p "
                    + "JOIN first f ON f.sku = p.b, buyers GROUP BY 1) SELECT avg(CASE WHEN EXISTS (SELECT 1 FROM "
                    + "buys b WHERE b.client_id = f.client_id AND b.sku = p.b AND b.ts > f.ts) THEN 1.0 ELSE 0 END), "
                    + "avg(coalesce(base.share, 0)) FROM first f JOIN pair p ON p.a = f.sku LEFT JOIN base ON "
                    + "base.a = p.a")) {
                rs.next();
                return new double[] {rs.getDouble(1), rs.getDouble(2)};
            }
        }
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
