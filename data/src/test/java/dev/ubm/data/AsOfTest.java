package dev.ubm.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ubm.core.ChallengeDataDir;
import dev.ubm.core.Task;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDateTime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AsOfTest {
    @TempDir
    Path tmp;

    /** A hand-made split data dir: the last input event is 2022-01-30 23:00, so cutoff = 01-31, asOf = 01-17. */
    private ChallengeDataDir handWorld() throws Exception {
        Path root = tmp.resolve("src");
        Path input = root.resolve("input");
        Files.createDirectories(input);
        Files.createDirectories(root.resolve("target"));
        try (Connection c = Duck.open()) {
            copy(c, input.resolve("product_buy.parquet"), "client_id, timestamp, sku",
                    "(1, '2022-01-01 10:00:00', 100), (1, '2022-01-20 08:00:00', 101), (2, '2022-01-25 12:00:00', 100),"
                            + " (3, '2022-01-10 09:00:00', 102), (4, '2022-01-22 10:00:00', 100),"
                            + " (2, '2022-01-26 12:00:00', 100)");
            copy(c, input.resolve("add_to_cart.parquet"), "client_id, timestamp, sku",
                    "(1, '2022-01-16 23:59:59', 100), (2, '2022-01-17 00:00:00', 101)");
            copy(c, input.resolve("remove_from_cart.parquet"), "client_id, timestamp, sku",
                    "(1, '2022-01-02 10:00:00', 100)");
            copy(c, input.resolve("page_visit.parquet"), "client_id, timestamp, url",
                    "(1, '2022-01-05 10:00:00', 7), (2, '2022-01-30 23:00:00', 8), (5, '2022-01-03 10:00:00', 9)");
            copy(c, input.resolve("search_query.parquet"), "client_id, timestamp, query",
                    "(3, '2022-01-12 10:00:00', '[1 2 3]'), (3, '2022-01-18 10:00:00', '[4 5 6]')");
            copy(c, root.resolve("product_properties.parquet"), "sku, category, price, name",
                    "(100, 7, 3, '[1]'), (101, 8, 4, '[2]'), (102, 7, 5, '[3]'), (103, 9, 6, '[4]')");
        }
        Npy.writeLongs(input.resolve("relevant_clients.npy"), new long[] {1, 2, 3, 5});
        Npy.writeLongs(root.resolve("target/active_clients.npy"), new long[] {1, 2, 3});
        Npy.writeLongs(root.resolve("target/propensity_category.npy"), new long[] {7, 8, 9});
        Npy.writeLongs(root.resolve("target/popularity_propensity_category.npy"), new long[] {3, 1, 0});
        Npy.writeLongs(root.resolve("target/propensity_sku.npy"), new long[] {100, 101});
        Npy.writeLongs(root.resolve("target/popularity_propensity_sku.npy"), new long[] {3, 1});
        return ChallengeDataDir.open(root);
    }

    private static void copy(Connection c, Path file, String cols, String values) {
        Duck.exec(c, "COPY (SELECT * FROM (VALUES " + values + ") t(" + cols + ")) TO " + Duck.sqlPath(file)
                + " (FORMAT parquet)");
    }

    private static long scalar(Connection c, String sql) throws Exception {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void truncationKeepsOnlyEventsBeforeAsOfInTheSameLayout() throws Exception {
        ChallengeDataDir src = handWorld();
        AsOf a = AsOf.materialise(src, tmp.resolve("asof"), 14);
        assertEquals(LocalDateTime.of(2022, 1, 31, 0, 0), a.cutoff());
        assertEquals(LocalDateTime.of(2022, 1, 17, 0, 0), a.asOf());
        ChallengeDataDir d = a.dir();
        assertTrue(d.isSplit(), "events land in input/ like the source");
        assertTrue(d.problems(ChallengeDataDir.Need.EVENTS, ChallengeDataDir.Need.TARGET_LISTS).stream()
                .allMatch(p -> p.contains("new_sku") || p.contains("price")), "only lists the source lacks");
        try (EventStore s = EventStore.open(d)) {
            Connection c = s.connection();
            assertEquals(0, scalar(c, "SELECT count(*) FROM events WHERE timestamp >= TIMESTAMP '2022-01-17'"));
            assertEquals(2, scalar(c, "SELECT count(*) FROM product_buy"));
            assertEquals(1, scalar(c, "SELECT count(*) FROM add_to_cart"), "23:59:59 the day before stays");
            assertEquals(2, scalar(c, "SELECT count(*) FROM page_visit"));
            assertEquals(1, scalar(c, "SELECT count(*) FROM search_query"));
            assertEquals(LocalDateTime.of(2022, 1, 17, 0, 0), s.cutoff());
        }
        assertArrayEquals(new long[] {1, 2, 3, 5}, Npy.readLongs(d.relevantClientsFile()));
        assertArrayEquals(new long[] {1, 3}, Npy.readLongs(d.activeClientsFile()), "recomputed at asOf");
        assertArrayEquals(new long[] {7, 8, 9}, Npy.readLongs(d.targetListFile(Task.PROPENSITY_CATEGORY)));
        assertTrue(Files.isRegularFile(d.root().resolve(AsOf.INFO)));
    }

    @Test
    void labelsMatchAHandCountOfTheLastTwoWeeks() throws Exception {
        AsOf a = AsOf.materialise(handWorld(), tmp.resolve("asof"), 14);
        AsOf.Labels l = a.labels();
        assertArrayEquals(new long[] {1, 2, 3, 5}, l.clientIds());
        // client 1 bought 101 on 01-20, client 2 bought 100 twice; client 4 is not relevant
        assertArrayEquals(new float[] {0, 0, 1, 1}, l.noBuy());
        assertArrayEquals(new boolean[] {true, false, true, false}, l.active());
        assertEquals(2, l.buyers());
        // categories [7, 8, 9]: client 1 → 8 (sku 101), client 2 → 7 (sku 100)
        assertArrayEquals(new float[] {0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0},
                l.multiHot().get(Task.PROPENSITY_CATEGORY));
        // skus [100, 101]
        assertArrayEquals(new float[] {0, 1, 1, 0, 0, 0, 0, 0}, l.multiHot().get(Task.PROPENSITY_SKU));
        assertEquals(2, l.multiHot().size(), "only tasks whose list exists");
        // events per type in [01-17, 01-31): buy, add, remove, visit, search
        assertArrayEquals(new float[] {1, 0, 0, 0, 0, 2, 1, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0},
                l.activity());
    }

    @Test
    void anOffsetMovesTheLabelWindowBack() throws Exception {
        AsOf a = AsOf.materialise(handWorld(), tmp.resolve("asof7"), 7, 7);
        assertEquals(LocalDateTime.of(2022, 1, 17, 0, 0), a.asOf());
        assertEquals(LocalDateTime.of(2022, 1, 24, 0, 0), a.cutoff());
        // buys in [01-17, 01-24): client 1 (01-20); client 2's buys are on 01-25/26
        assertArrayEquals(new float[] {0, 1, 1, 1}, a.labels().noBuy());
    }

    @Test
    void theNewSkuProxyHoldsOnlySkusUnseenBeforeAsOfOrderedByBuysInTheWindow() throws Exception {
        try (Connection c = Duck.open()) {
            // sku 1 bought before; 4 added to a cart before; 6 removed before; 7 bought only after the window
            Duck.exec(c, "CREATE TABLE product_buy AS SELECT * FROM (VALUES (1, TIMESTAMP '2022-01-05', 1), "
                    + "(1, TIMESTAMP '2022-01-20', 1), (2, TIMESTAMP '2022-01-18', 2), (3, TIMESTAMP '2022-01-19', 2),"
                    + " (4, TIMESTAMP '2022-01-20', 2), (2, TIMESTAMP '2022-01-21', 3), (2, TIMESTAMP '2022-01-22', 4),"
                    + " (3, TIMESTAMP '2022-01-22', 4), (2, TIMESTAMP '2022-01-23', 5), (3, TIMESTAMP '2022-01-23', 5),"
                    + " (5, TIMESTAMP '2022-01-24', 6), (5, TIMESTAMP '2022-01-31', 7), (6, TIMESTAMP '2022-01-25', 8),"
                    + " (7, TIMESTAMP '2022-01-26', 8)) t(client_id, timestamp, sku)");
            Duck.exec(c, "CREATE TABLE add_to_cart AS SELECT * FROM (VALUES (1, TIMESTAMP '2022-01-16 23:00:00', 4),"
                    + " (1, TIMESTAMP '2022-01-18', 5)) t(client_id, timestamp, sku)");
            Duck.exec(c, "CREATE TABLE remove_from_cart AS SELECT * FROM (VALUES (1, TIMESTAMP '2022-01-02', 6)) "
                    + "t(client_id, timestamp, sku)");
            LocalDateTime asOf = LocalDateTime.of(2022, 1, 17, 0, 0);
            LocalDateTime cutoff = LocalDateTime.of(2022, 1, 31, 0, 0);
            AsOf.NewSkuProxy all = AsOf.newSkuProxy(c, asOf, cutoff, 10);
            // buys in the window: 2 ×3, 5 ×2, 8 ×2 (5 before 8 by id), 3 ×1; 1, 4, 6 were seen, 7 is after
            assertArrayEquals(new long[] {2, 5, 8, 3}, all.skus());
            assertArrayEquals(new long[] {3, 2, 2, 1}, all.buys());
            assertArrayEquals(new long[] {2, 5}, AsOf.newSkuProxy(c, asOf, cutoff, 2).skus(), "the n most bought");
        }
    }

    @Test
    void theAsOfDirReplacesTheShippedNewSkuListWithItsWindowsProxy() throws Exception {
        ChallengeDataDir src = handWorld();
        Npy.writeLongs(src.targetListFile(Task.PROPENSITY_NEW_SKU), new long[] {900, 901, 902});
        AsOf a = AsOf.materialise(src, tmp.resolve("asof"), 14);
        // skus bought in [01-17, 01-31): 100 (seen before), 101 (new: only an add_to_cart at 01-17 00:00); 103 is
        // never seen and pads the list first; 102, bought before the window and not in it, pads it to the shipped
        // length; 100, bought in the window, never pads
        assertArrayEquals(new long[] {101, 103, 102}, Npy.readLongs(a.dir().targetListFile(Task.PROPENSITY_NEW_SKU)));
        assertArrayEquals(new long[] {101, 103, 102}, a.labels().lists().get(Task.PROPENSITY_NEW_SKU));
        assertArrayEquals(new float[] {1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
                a.labels().multiHot().get(Task.PROPENSITY_NEW_SKU), "client 1 bought 101 in the window");
        assertArrayEquals(new long[] {1, 0, 0}, Npy.readLongs(a.dir().popularityFile(Task.PROPENSITY_NEW_SKU)));
        assertEquals(1, a.notes().size(), "fewer new skus bought than the shipped list holds is said");
        assertTrue(a.notes().get(0).contains("has 1 skus bought in it, fewer than the 3 of the shipped list; 2 skus"
                + " not bought in it (unseen before it first) pad the list to 3"), a.notes().get(0));
        assertTrue(Files.readString(a.dir().root().resolve(AsOf.INFO)).contains("\"new_sku_proxy\""));
    }
}
