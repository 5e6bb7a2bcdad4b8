package dev.ubm.data.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ubm.core.BadInputException;
import dev.ubm.core.Json;
import dev.ubm.core.Progress;
import dev.ubm.data.Duck;
import dev.ubm.data.Npy;
import dev.ubm.data.SplitWindows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticWorldTest {
    static final long SEED = 11;
    static final String[] EVENTS = {"product_buy", "add_to_cart", "remove_from_cart", "page_visit", "search_query"};

    @TempDir
    static Path tmp;
    static Path world;
    static SynthConfig cfg;
    static SyntheticWorld.Result result;

    @BeforeAll
    static void generate() {
        Progress.setEnabled(false);
        cfg = SynthConfig.tiny(SEED);
        world = tmp.resolve("world");
        result = SyntheticWorld.generate(cfg, world);
    }

    private static String file(String stem) {
        return "read_parquet(" + Duck.sqlPath(world.resolve(stem + ".parquet")) + ")";
    }

    private static String futures() {
        return "read_parquet(" + Duck.sqlPath(world.resolve("oracle/futures.parquet")) + ")";
    }

    private static String allEvents() {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < EVENTS.length; i++) {
            sb.append(i > 0 ? " UNION ALL " : "").append("SELECT client_id, timestamp FROM ").append(file(EVENTS[i]));
        }
        return sb.append(")").toString();
    }

    private static List<double[]> rows(String sql) throws SQLException {
        List<double[]> out = new ArrayList<>();
        try (Connection c = Duck.open(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                double[] r = new double[n];
                for (int j = 0; j < n; j++) {
                    r[j] = rs.getDouble(j + 1);
                }
                out.add(r);
            }
        }
        return out;
    }

    private static double[] row(String sql) throws SQLException {
        return rows(sql).get(0);
    }

    private static String text(String sql) throws SQLException {
        try (Connection c = Duck.open(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void writesTheRawChallengeLayoutWithTheOfficialColumnTypes() throws Exception {
        for (String stem : EVENTS) {
            String item = stem.equals("page_visit") ? "url BIGINT" : stem.equals("search_query") ? "query VARCHAR"
                    : "sku BIGINT";
            assertEquals("client_id BIGINT, timestamp VARCHAR, " + item,
                    text("SELECT string_agg(column_name || ' ' || column_type, ', ') FROM (DESCRIBE SELECT * FROM "
                            + file(stem) + ")"), stem);
        }
        assertEquals("sku BIGINT, category BIGINT, price BIGINT, name VARCHAR", text("SELECT string_agg(column_name "
                + "|| ' ' || column_type, ', ') FROM (DESCRIBE SELECT * FROM " + file("product_properties") + ")"));
        assertEquals("draw INTEGER, client_id BIGINT, timestamp VARCHAR, sku BIGINT", text("SELECT string_agg("
                + "column_name || ' ' || column_type, ', ') FROM (DESCRIBE SELECT * FROM " + futures() + ")"));
        assertEquals(cfg.relevantClients(), Npy.readLongs(world.resolve("input/relevant_clients.npy")).length);
        // timestamps parse with the challenge format, queries and names are 16 codes in 0..255
        assertEquals(0, row("SELECT count(*) FROM " + allEvents() + " WHERE NOT regexp_full_match(timestamp, "
                + "'\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d')")[0]);
        for (String sql : new String[] {"SELECT query AS s FROM " + file("search_query"),
            "SELECT name AS s FROM " + file("product_properties")}) {
            double[] r = row("WITH c AS (SELECT s, CAST(string_split(trim(regexp_replace(trim(s, '[]'), '\\s+', ' ', "
                    + "'g')), ' ') AS INTEGER[]) AS v FROM (" + sql + ")) SELECT count(*), min(len(v)), max(len(v)), "
                    + "min(list_min(v)), max(list_max(v)), sum(CASE WHEN s LIKE '[%]' THEN 0 ELSE 1 END) FROM c");
            assertTrue(r[0] > 0);
            assertEquals(16, r[1]);
            assertEquals(16, r[2]);
            assertTrue(r[3] >= 0 && r[4] <= 255, Arrays.toString(r));
            assertEquals(0, r[5]);
        }
        double[] props = row("SELECT count(*), count(DISTINCT sku), min(price), max(price) FROM "
                + file("product_properties"));
        assertEquals(props[0], props[1], "one row per sku");
        assertTrue(props[2] >= 0 && props[3] <= 99);
        // every sku of the events and of the futures has properties
        for (String src : new String[] {file("product_buy"), file("add_to_cart"), file("remove_from_cart"),
            futures()}) {
            assertEquals(0, row("SELECT count(*) FROM " + src + " e ANTI JOIN " + file("product_properties")
                    + " p USING (sku)")[0], src);
        }
    }

    @Test
    void sameSeedGivesByteIdenticalFilesWhateverTheThreadCountAndAnotherSeedDiffers() throws Exception {
        // a second run, single-threaded: the output depends on neither the run nor the thread count
        Path again = tmp.resolve("again");
        String before = System.getProperty(SyntheticWorld.THREADS_PROPERTY);
        System.setProperty(SyntheticWorld.THREADS_PROPERTY, "1");
        try {
            SyntheticWorld.generate(cfg, again);
        } finally {
            if (before == null) {
                System.clearProperty(SyntheticWorld.THREADS_PROPERTY);
            } else {
                System.setProperty(SyntheticWorld.THREADS_PROPERTY, before);
            }
        }
        List<Path> files;
        try (Stream<Path> s = Files.walk(world)) {
            files = s.filter(Files::isRegularFile).map(world::relativize).sorted().toList();
        }
        assertEquals(9, files.size(), files.toString());
        for (Path f : files) {
            assertArrayEquals(Files.readAllBytes(world.resolve(f)), Files.readAllBytes(again.resolve(f)), f.toString());
        }
        Path other = tmp.resolve("other");
        SyntheticWorld.generate(cfg.withSeed(SEED + 1), other);
        assertFalse(Arrays.equals(Files.readAllBytes(world.resolve("product_buy.parquet")),
                Files.readAllBytes(other.resolve("product_buy.parquet"))));
        assertFalse(Arrays.equals(Files.readAllBytes(world.resolve("input/relevant_clients.npy")),
                Files.readAllBytes(other.resolve("input/relevant_clients.npy"))));
    }

    @Test
    void realisedMaxBuyLandsOnTheLastDaySoTheSplitterWindowsMatchTheOracle() throws Exception {
        LocalDateTime maxBuy = LocalDateTime.parse(text("SELECT max(timestamp) FROM " + file("product_buy")),
                SplitWindows.TIMESTAMP);
        assertEquals(cfg.start().plusDays(cfg.days() - 1), maxBuy.toLocalDate());
        SplitWindows w = SplitWindows.fromMaxBuy(maxBuy);
        assertEquals(cfg.start().plusDays(cfg.validationStartDay()).atStartOfDay(), w.validationStart());
        assertEquals(cfg.start().plusDays(cfg.trainStartDay()).atStartOfDay(), w.trainStart());
        Oracle oracle = Oracle.open(world);
        assertEquals(w.validationStart(), oracle.validationStart());
        assertEquals(cfg.oracleDraws(), oracle.draws());
        assertEquals(w, result.windows());
        // futures hold product_buy rows of relevant clients inside the window, draws 1..K
        double[] f = row("SELECT count(*), min(draw), max(draw), CAST(min(timestamp) >= '" + w.validationStart()
                .format(SplitWindows.TIMESTAMP) + "' AS INT), CAST(max(timestamp) <= '" + oracle.validationEnd()
                .format(SplitWindows.TIMESTAMP) + "' AS INT) FROM " + futures());
        assertTrue(f[0] > 0);
        assertEquals(1, f[1]);
        assertEquals(cfg.oracleDraws(), f[2]);
        assertEquals(1, f[3]);
        assertEquals(1, f[4]);
        Map<String, Object> json = Json.parseObject(Files.readString(world.resolve("oracle/oracle.json")));
        assertEquals((long) cfg.oracleDraws(), json.get("draws"));
        assertEquals(SEED, json.get("seed"));
    }

    @Test
    void relevantClientsAreClientsMostlyWithHistoryAndAFewWithout() throws Exception {
        long[] rel = Npy.readLongs(world.resolve("input/relevant_clients.npy"));
        long[] ids = SyntheticWorld.clientIds(cfg);
        Arrays.sort(ids);
        for (long id : rel) {
            assertTrue(Arrays.binarySearch(ids, id) >= 0, id + " is not a client");
        }
        assertEquals(rel.length, Arrays.stream(rel).distinct().count());
        String cut = cfg.start().plusDays(cfg.trainStartDay()).atStartOfDay().format(SplitWindows.TIMESTAMP);
        try (Connection c = Duck.open()) {
            loadIds(c, rel);
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM rel WHERE "
                    + "client_id IN (SELECT client_id FROM " + allEvents() + " WHERE timestamp < '" + cut + "')")) {
                rs.next();
                int withHistory = rs.getInt(1);
                assertTrue(withHistory >= 0.9 * rel.length, withHistory + " of " + rel.length + " have input events");
                assertTrue(withHistory < rel.length, "a few relevant clients have no input events");
            }
        }
        // every client has at least one event
        assertEquals(cfg.clients(), row("SELECT count(DISTINCT client_id) FROM " + allEvents())[0]);
        assertEquals(cfg.clients(), result.clientsWithEvents());
    }

    private static void loadIds(Connection c, long[] ids) throws SQLException {
        Duck.exec(c, "CREATE TABLE rel (client_id BIGINT)");
        try (DuckDBAppender a = c.unwrap(DuckDBConnection.class).createAppender(DuckDBConnection.DEFAULT_SCHEMA,
                "rel")) {
            for (long id : ids) {
                a.beginRow().append(id).endRow();
            }
        }
    }

    @Test
    void activityIsHeavyTailedAndWeekly() throws Exception {
        double[] r = row("WITH c AS (SELECT client_id, count(*) n FROM " + allEvents() + " GROUP BY 1) SELECT "
                + "avg(CASE WHEN n <= 3 THEN 1 ELSE 0 END), median(n), max(n) FROM c");
        assertTrue(r[0] >= 0.25, "share of clients with 1-3 events: " + r[0]);
        assertTrue(r[2] >= 50 * r[1], "max " + r[2] + " vs median " + r[1]);
        // weekends (Saturday, Sunday) are busier than the average weekday
        double[] w = row("WITH d AS (SELECT isodow(CAST(timestamp AS TIMESTAMP)) d FROM " + allEvents() + ") "
                + "SELECT avg(CASE WHEN d >= 6 THEN 1.0 ELSE 0 END) FROM d");
        assertTrue(w[0] > 2.0 / 7 * 1.1, "weekend share " + w[0]);
    }

    @Test
    void newSkusHaveNoEventsBeforeTheirReleaseAndSomeAreBoughtInTheValidationWindow() throws Exception {
        Catalog cat = new Catalog(cfg);
        try (Connection c = Duck.open()) {
            Duck.exec(c, "CREATE TABLE rel (sku BIGINT, release TIMESTAMP, new BOOLEAN)");
            int cohort = 0;
            try (DuckDBAppender a = c.unwrap(DuckDBConnection.class).createAppender(DuckDBConnection.DEFAULT_SCHEMA,
                    "rel")) {
                for (int s = 0; s < cat.nSku; s++) {
                    if (cat.skuRelease[s] >= 0) {
                        a.beginRow().append(cat.skuId[s]).append(cfg.start().plusDays(cat.skuRelease[s])
                                .atStartOfDay()).append(cat.skuNew[s]).endRow();
                    }
                    cohort += cat.skuNew[s] ? 1 : 0;
                }
            }
            assertTrue(cohort > 0);
            String events = "(SELECT sku, timestamp FROM " + file("product_buy") + " UNION ALL SELECT sku, timestamp "
                    + "FROM " + file("add_to_cart") + " UNION ALL SELECT sku, timestamp FROM " + file("remove_from_cart")
                    + " UNION ALL SELECT sku, timestamp FROM " + futures() + ")";
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FILTER (WHERE "
                    + "CAST(e.timestamp AS TIMESTAMP) < r.release), count(*) FILTER (WHERE r.new) FROM " + events
                    + " e JOIN rel r USING (sku)")) {
                rs.next();
                assertEquals(0, rs.getLong(1), "events before release");
                assertTrue(rs.getLong(2) > 0, "the new cohort is bought");
            }
        }
        // the cohort is released after the input period, so no cohort sku appears there
        int first = Integer.MAX_VALUE;
        for (int s = 0; s < cat.nSku; s++) {
            if (cat.skuNew[s]) {
                first = Math.min(first, cat.skuRelease[s]);
            }
        }
        assertTrue(first >= cfg.trainStartDay());
    }

    @Test
    void complementsAreBoughtTogetherMoreThanChance() throws Exception {
        Catalog cat = new Catalog(cfg);
        // share of consecutive same-day cart adds (a, b) where b is one of a's two complements
        try (Connection c = Duck.open()) {
            Duck.exec(c, "CREATE TABLE comp (a BIGINT, b BIGINT)");
            try (DuckDBAppender a = c.unwrap(DuckDBConnection.class).createAppender(DuckDBConnection.DEFAULT_SCHEMA,
                    "comp")) {
                for (int s = 0; s < cat.nSku; s++) {
                    for (int j = 0; j < 2; j++) {
                        a.beginRow().append(cat.skuId[s]).append(cat.skuId[cat.skuComp[2 * s + j]]).endRow();
                    }
                }
            }
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("WITH e AS (SELECT client_id, "
                    + "sku, lead(sku) OVER (PARTITION BY client_id ORDER BY timestamp, sku) nxt FROM "
                    + file("add_to_cart") + ") SELECT avg(CASE WHEN EXISTS (SELECT 1 FROM comp WHERE a = e.sku AND "
                    + "b = e.nxt) THEN 1.0 ELSE 0 END) FROM e WHERE nxt IS NOT NULL")) {
                rs.next();
                double share = rs.getDouble(1);
                // by chance two of ~300 skus: under 1%
                assertTrue(share > 0.1, "share of next adds that are a complement: " + share);
            }
        }
    }

    // ------------------------------------------------------------------ oracle

    /**
     * Churn/conversion calibration. The realised label is one more independent draw from the same state as the K
     * futures, so E[realised rate] = E[mean oracle probability]. Over n clients the realised rate has binomial
     * standard error sqrt(p(1−p)/n) (the oracle's own mean adds a 1/K share of that variance); we allow 4 standard
     * errors, so a correct oracle fails this test with probability below 1e-4 while a bias of that size shows.
     */
    @Test
    void churnAndConversionProbabilitiesAreCalibrated() throws Exception {
        long[] rel = Npy.readLongs(world.resolve("input/relevant_clients.npy"));
        Oracle oracle = Oracle.open(world);
        float[] p = oracle.noBuyProbability(rel);
        String val = oracle.validationStart().format(SplitWindows.TIMESTAMP);
        String cut = cfg.start().plusDays(cfg.trainStartDay()).atStartOfDay().format(SplitWindows.TIMESTAMP);
        boolean[] noBuy = new boolean[rel.length];
        boolean[] active = new boolean[rel.length];
        try (Connection c = Duck.open()) {
            loadIds(c, rel);
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT r.client_id, "
                    + "count(*) FILTER (WHERE b.timestamp >= '" + val + "'), count(*) FILTER (WHERE b.timestamp < '"
                    + cut + "') FROM rel r LEFT JOIN " + file("product_buy") + " b USING (client_id) GROUP BY 1")) {
                while (rs.next()) {
                    int i = Arrays.binarySearch(rel, rs.getLong(1));
                    noBuy[i] = rs.getLong(2) == 0;
                    active[i] = rs.getLong(3) > 0;
                }
            }
        }
        int nActive = 0;
        for (boolean a : active) {
            nActive += a ? 1 : 0;
        }
        assertTrue(nActive >= 100, "active relevant clients: " + nActive);
        assertCalibrated("conversion", p, noBuy, null);
        assertCalibrated("churn", p, noBuy, active);
        // the oracle knows the hidden state: far better than chance
        float[] pa = new float[nActive];
        boolean[] ya = new boolean[nActive];
        for (int i = 0, j = 0; i < rel.length; i++) {
            if (active[i]) {
                pa[j] = p[i];
                ya[j++] = noBuy[i];
            }
        }
        assertTrue(Oracle.auroc(pa, ya) > 0.75, "oracle churn AUROC " + Oracle.auroc(pa, ya));
        assertEquals(((Number) result.oracle().get("churn_oracle_auroc")).doubleValue(), Oracle.auroc(pa, ya), 1e-9);
    }

    private static void assertCalibrated(String what, float[] p, boolean[] y, boolean[] mask) {
        double sp = 0;
        double sy = 0;
        int n = 0;
        for (int i = 0; i < p.length; i++) {
            if (mask == null || mask[i]) {
                sp += p[i];
                sy += y[i] ? 1 : 0;
                n++;
            }
        }
        double rate = sy / n;
        double pred = sp / n;
        double se = Math.sqrt(Math.max(rate * (1 - rate), 0.25 / n) / n * (1 + 1.0 / cfg().oracleDraws()));
        assertTrue(Math.abs(pred - rate) <= 4 * se, what + ": predicted " + pred + " vs realised " + rate + " (n "
                + n + ", 4 SE = " + 4 * se + ")");
    }

    private static SynthConfig cfg() {
        return cfg;
    }

    /**
     * Per-label calibration for propensity tasks: over all (client, target) pairs the mean predicted probability
     * matches the realised frequency. Targets come from buys before the validation window (choosing them on the
     * realised window would bias the realised side). Pairs of one client are correlated, so the standard error is
     * taken over clients: sd(per-client label count) / sqrt(n) / |targets|; we allow 4 of them.
     */
    @Test
    void propensityProbabilitiesAreCalibratedForSkuCategoryAndPrice() throws Exception {
        long[] rel = Npy.readLongs(world.resolve("input/relevant_clients.npy"));
        Oracle oracle = Oracle.open(world);
        String val = oracle.validationStart().format(SplitWindows.TIMESTAMP);
        for (String col : new String[] {"sku", "category", "price"}) {
            long[] targets = topBefore(col, val, 30);
            float[][] p = oracle.labelProbabilities(rel, col, targets);
            int[][] y = new int[rel.length][targets.length];
            try (Connection c = Duck.open()) {
                loadIds(c, rel);
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT DISTINCT b.client_id, p."
                        + col + " FROM " + file("product_buy") + " b JOIN " + file("product_properties")
                        + " p USING (sku) JOIN rel USING (client_id) WHERE b.timestamp >= '" + val + "'")) {
                    while (rs.next()) {
                        int j = indexOf(targets, rs.getLong(2));
                        if (j >= 0) {
                            y[Arrays.binarySearch(rel, rs.getLong(1))][j] = 1;
                        }
                    }
                }
            }
            double sp = 0;
            double sy = 0;
            double syy = 0;
            for (int i = 0; i < rel.length; i++) {
                int k = 0;
                for (int j = 0; j < targets.length; j++) {
                    sp += p[i][j];
                    k += y[i][j];
                }
                sy += k;
                syy += (double) k * k;
            }
            int n = rel.length;
            double pairs = (double) n * targets.length;
            double meanK = sy / n;
            double se = Math.sqrt(Math.max(syy / n - meanK * meanK, 1.0 / n) / n) / targets.length
                    * Math.sqrt(1 + 1.0 / cfg.oracleDraws());
            assertTrue(sy > 0, col + ": no realised positives");
            assertTrue(Math.abs(sp / pairs - sy / pairs) <= 4 * se, col + ": predicted " + sp / pairs + " vs realised "
                    + sy / pairs + " (4 SE = " + 4 * se + ")");
        }
    }

    private static long[] topBefore(String col, String before, int n) throws SQLException {
        List<double[]> r = rows("SELECT p." + col + ", count(*) FROM " + file("product_buy") + " b JOIN "
                + file("product_properties") + " p USING (sku) WHERE b.timestamp < '" + before + "' GROUP BY 1 "
                + "ORDER BY 2 DESC, 1 LIMIT " + n);
        return r.stream().mapToLong(x -> (long) x[0]).toArray();
    }

    private static int indexOf(long[] a, long v) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == v) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void oracleRefusesClientsItHasNoFutureFor() {
        Oracle oracle = Oracle.open(world);
        long[] rel = Npy.readLongs(world.resolve("input/relevant_clients.npy"));
        long notRelevant = Arrays.stream(SyntheticWorld.clientIds(cfg)).filter(id -> Arrays.binarySearch(rel, id) < 0)
                .findFirst().orElseThrow();
        BadInputException e = assertThrows(BadInputException.class,
                () -> oracle.noBuyProbability(new long[] {rel[0], notRelevant}));
        assertTrue(e.getMessage().contains("1 of 2"), e.getMessage());
        assertThrows(BadInputException.class, () -> Oracle.open(tmp.resolve("nowhere")));
        assertThrows(BadInputException.class, () -> oracle.labelProbabilities(rel, "url", new long[] {1}));
        float[][] churn = oracle.probabilities(dev.ubm.core.Task.CHURN, Arrays.copyOf(rel, 5), null);
        assertEquals(5, churn.length);
        assertEquals(1, churn[0].length);
        assertNull(result.oracle().get("missing"));
    }

    @Test
    void aurocMatchesHandComputedValues() {
        assertEquals(1.0, Oracle.auroc(new float[] {0.1f, 0.9f}, new boolean[] {false, true}), 1e-12);
        assertEquals(0.0, Oracle.auroc(new float[] {0.1f, 0.9f}, new boolean[] {true, false}), 1e-12);
        // ties count half: pos {0.5, 0.8}, neg {0.5, 0.2}: pairs (0.5,0.5)=.5, (0.5,0.2)=1, (0.8,*)=2 -> 3.5/4
        assertEquals(0.875, Oracle.auroc(new float[] {0.5f, 0.8f, 0.5f, 0.2f},
                new boolean[] {true, true, false, false}), 1e-12);
        assertTrue(Double.isNaN(Oracle.auroc(new float[] {0.5f}, new boolean[] {true})));
    }
}
