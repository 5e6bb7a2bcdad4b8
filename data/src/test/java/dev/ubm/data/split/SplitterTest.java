package dev.ubm.data.split;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ubm.core.BadInputException;
import dev.ubm.core.ChallengeDataDir;
import dev.ubm.core.ChallengeDataDir.Format;
import dev.ubm.core.EventType;
import dev.ubm.core.Json;
import dev.ubm.core.Progress;
import dev.ubm.core.Task;
import dev.ubm.data.Duck;
import dev.ubm.data.EventStore;
import dev.ubm.data.HandWorld;
import dev.ubm.data.Npy;
import dev.ubm.data.SplitWindows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SplitterTest {
    @TempDir
    Path tmp;

    @BeforeAll
    static void quiet() {
        Progress.setEnabled(false);
    }

    static HandWorld world() {
        return HandWorld.splittable();
    }

    private static List<List<Object>> rows(String sql) throws Exception {
        try (Connection c = Duck.open(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            List<List<Object>> out = new ArrayList<>();
            int k = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<Object> r = new ArrayList<>();
                for (int j = 1; j <= k; j++) {
                    r.add(rs.getString(j));
                }
                out.add(r);
            }
            return out;
        }
    }

    private static String pq(Path p) {
        return "read_parquet(" + Duck.sqlPath(p) + ")";
    }

    @Test
    void windowsFollowTheOrganisersRule() {
        SplitWindows w = SplitWindows.fromMaxBuy(LocalDateTime.of(2022, 3, 1, 12, 0, 0));
        assertEquals(LocalDateTime.of(2022, 2, 2, 0, 0), w.trainStart());
        assertEquals(LocalDateTime.of(2022, 2, 16, 0, 0), w.validationStart());
        assertTrue(w.isInput(LocalDateTime.of(2022, 2, 1, 23, 59, 59)));
        assertFalse(w.isInput(w.trainStart()));
        assertTrue(w.isTrainTarget(w.trainStart()));
        assertTrue(w.isValidationTarget(w.validationStart()));
        assertTrue(w.isValidationTarget(w.end()));
        assertFalse(w.isValidationTarget(w.end().plusSeconds(1)));
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void splitsAtTheHandComputedBoundaries(Format f) throws Exception {
        ChallengeDataDir d = world().write(tmp, f);
        Splitter.Result r = Splitter.split(Splitter.Config.of(tmp));
        assertEquals(LocalDateTime.of(2022, 2, 2, 0, 0), r.windows().trainStart());
        assertEquals(LocalDateTime.of(2022, 2, 16, 0, 0), r.windows().validationStart());
        assertEquals(LocalDateTime.of(2022, 3, 1, 12, 0), r.windows().end());
        Path in = d.inputDir();
        assertEquals(List.of(List.of("1", "2022-01-10 08:00:00", "10"), List.of("1", "2022-02-01 23:59:59", "10"),
                List.of("2", "2022-01-11 00:00:00", "11"), List.of("2", "2022-01-12 00:00:00", "11"),
                List.of("2", "2022-01-13 00:00:00", "11"), List.of("3", "2022-01-15 00:00:00", "10"),
                List.of("4", "2022-01-20 00:00:00", "12")), rows("SELECT * FROM " + pq(in.resolve("product_buy.parquet"))));
        assertEquals(List.of(List.of("6", "2022-02-01 23:59:59", "600")),
                rows("SELECT * FROM " + pq(in.resolve("page_visit.parquet"))));
        assertEquals(List.of(List.of("client_id", "BIGINT"), List.of("timestamp", "VARCHAR"), List.of("query", "VARCHAR")),
                rows("SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM "
                        + pq(in.resolve("search_query.parquet")) + ")"));
        assertEquals(7, r.inputEvents().get("product_buy"));
        assertEquals(1, r.inputEvents().get("add_to_cart"));
        assertEquals(1, r.inputEvents().get("remove_from_cart"));
        assertEquals(1, r.inputEvents().get("search_query"));

        assertEquals(List.of(List.of("1", "2022-02-02 00:00:00", "20", "4", "9", "[9 9]"),
                List.of("1", "2022-02-05 00:00:00", "10", "1", "5", "[1 2]"),
                List.of("2", "2022-02-15 23:59:59", "20", "4", "9", "[9 9]"),
                List.of("3", "2022-02-10 00:00:00", "21", "4", "50", "[0 1]"),
                List.of("5", "2022-02-03 00:00:00", "13", "3", "9", "[7 8]")),
                rows("SELECT client_id, strftime(timestamp, '%Y-%m-%d %H:%M:%S'), sku, category, price, name FROM "
                        + pq(d.trainTargetFile())));
        assertEquals(List.of(List.of("2", "2022-02-16 00:00:00", "11"), List.of("4", "2022-03-01 12:00:00", "12")),
                rows("SELECT client_id, strftime(timestamp, '%Y-%m-%d %H:%M:%S'), sku FROM "
                        + pq(d.validationTargetFile())));
        assertEquals("TIMESTAMP", rows("SELECT typeof(timestamp) FROM " + pq(d.trainTargetFile()) + " LIMIT 1")
                .get(0).get(0));

        assertArrayEquals(new long[] {1, 2, 3}, Npy.readLongs(d.activeClientsFile()));
        assertList(d, Task.PROPENSITY_SKU, new long[] {10, 11, 12}, new long[] {3, 3, 1});
        assertList(d, Task.PROPENSITY_CATEGORY, new long[] {1, 2}, new long[] {4, 3});
        assertList(d, Task.PROPENSITY_NEW_SKU, new long[] {20, 21}, new long[] {2, 1});
        assertList(d, Task.PROPENSITY_PRICE, new long[] {5, 7, 9, 50}, new long[] {4, 3, 0, 0});
        String run = Files.readString(d.targetDir().resolve("run.json"));
        assertTrue(run.contains("\"train_start\": \"2022-02-02 00:00:00\""), run);
        assertTrue(run.contains("\"stage\": \"split\""), run);
        assertTrue(d.problems(ChallengeDataDir.Need.EVENTS, ChallengeDataDir.Need.TARGET_LISTS,
                ChallengeDataDir.Need.TARGET_WINDOWS).isEmpty());
        assertNoTempFiles();
    }

    private static void assertList(ChallengeDataDir d, Task t, long[] ids, long[] popularity) {
        assertArrayEquals(ids, Npy.readLongs(d.targetListFile(t)), t.cliName());
        assertArrayEquals(popularity, Npy.readLongs(d.popularityFile(t)), t.cliName());
    }

    private void assertNoTempFiles() throws Exception {
        try (Stream<Path> s = Files.walk(tmp)) {
            List<Path> temps = s.filter(p -> p.getFileName().toString().contains(".tmp-")).toList();
            assertEquals(List.of(), temps);
        }
    }

    @Test
    void splittingIntoAnotherDirGivesAUsableDataDirAndSplittingAgainInPlaceIsStable() throws Exception {
        Path raw = tmp.resolve("raw");
        world().write(raw, Format.PARQUET);
        Path out = tmp.resolve("out");
        Splitter.split(new Splitter.Config(raw, out, 7, true));
        ChallengeDataDir o = ChallengeDataDir.open(out);
        assertTrue(o.isSplit());
        assertTrue(Files.exists(out.resolve("product_properties.parquet")));
        assertArrayEquals(new long[] {9, 6, 3, 2, 1}, Npy.readLongs(o.relevantClientsFile()));
        try (EventStore s = EventStore.open(o)) {
            assertEquals(LocalDateTime.of(2022, 2, 2, 0, 0), s.cutoff());
        }
        assertFalse(Files.exists(raw.resolve("target")), "the raw dir is left alone");

        Splitter.split(Splitter.Config.of(raw));
        byte[] first = Files.readAllBytes(raw.resolve("input/product_buy.parquet"));
        Splitter.split(Splitter.Config.of(raw));
        assertArrayEquals(first, Files.readAllBytes(raw.resolve("input/product_buy.parquet")),
                "a second split reads the raw events, not the first split's input/");
    }

    @Test
    void aTargetSkuMissingFromPropertiesFailsClearlyAndLeavesTheOldSplit() throws Exception {
        ChallengeDataDir d = world().write(tmp, Format.PARQUET);
        Splitter.split(Splitter.Config.of(tmp));
        byte[] before = Files.readAllBytes(d.trainTargetFile());
        world().buy(8, "2022-02-20 00:00:00", 777).write(tmp, Format.PARQUET);

        BadInputException e = assertThrows(BadInputException.class,
                () -> Splitter.split(new Splitter.Config(tmp, null, 42, false)));
        assertEquals("product_buy.parquet: 1 product_buy events in the target windows (1 distinct skus) have a sku "
                + "missing from product_properties.parquet; first: client 8 bought sku 777 at 2022-02-20 00:00:00",
                e.getMessage());
        BadInputException v = assertThrows(BadInputException.class, () -> Splitter.split(Splitter.Config.of(tmp)));
        assertTrue(v.getMessage().contains("product_buy.parquet: column 'sku': sku missing from product_properties"),
                v.getMessage());
        assertArrayEquals(before, Files.readAllBytes(d.trainTargetFile()));
        assertNoTempFiles();
    }

    @Test
    void dataSpanningTooFewDaysIsRejected() {
        new HandWorld().product(10, 1, 5, "[1]").buy(1, "2022-03-01 00:00:00", 10).visit(1, "2022-02-20 00:00:00", 3)
                .search(1, "2022-02-20 00:00:00", "[1]").add(1, "2022-02-20 00:00:00", 10)
                .remove(1, "2022-02-20 00:00:00", 10).relevant(1).write(tmp, Format.CSV);
        BadInputException e = assertThrows(BadInputException.class, () -> Splitter.split(Splitter.Config.of(tmp)));
        assertTrue(e.getMessage().contains("no event before the train target window starts"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("input/product_buy.parquet")));
    }

    @Test
    void timestampColumnsBecomeStringsInTheInput() throws Exception {
        ChallengeDataDir d = world().write(tmp, Format.PARQUET);
        HandWorld.parquet(tmp.resolve("page_visit.parquet"), "SELECT 6::BIGINT AS client_id, TIMESTAMP "
                + "'2022-02-01 23:59:59' AS timestamp, 600::BIGINT AS url UNION ALL SELECT 6, TIMESTAMP "
                + "'2022-02-02 00:00:00', 601");
        Splitter.split(Splitter.Config.of(tmp));
        assertEquals(List.of(List.of("6", "2022-02-01 23:59:59", "600", "VARCHAR")), rows("SELECT *, typeof(timestamp) "
                + "FROM " + pq(d.inputDir().resolve("page_visit.parquet"))));
    }

    @Test
    void aMissingRawFileIsBadInput() throws Exception {
        world().write(tmp, Format.PARQUET);
        Files.delete(tmp.resolve(EventType.SEARCH_QUERY.stem() + ".parquet"));
        BadInputException e = assertThrows(BadInputException.class, () -> Splitter.split(Splitter.Config.of(tmp)));
        assertTrue(e.getMessage().contains("missing event file") || e.getMessage().contains("missing file"),
                e.getMessage());
    }

    @Test
    void givenTargetListsAreKeptByteForByteAndOnlyMissingOnesAreComputed() throws Exception {
        ChallengeDataDir d = world().write(tmp, Format.PARQUET);
        Files.createDirectories(d.targetDir());
        // the input would give sku list {10, 11, 12} with counts {3, 3, 1} and active clients {1, 2, 3}
        Npy.writeLongs(d.targetListFile(Task.PROPENSITY_SKU), new long[] {99, 12});
        Npy.writeLongs(d.popularityFile(Task.PROPENSITY_SKU), new long[] {50, 40});
        Npy.writeLongs(d.activeClientsFile(), new long[] {2});
        Npy.writeLongs(d.targetListFile(Task.PROPENSITY_CATEGORY), new long[] {2, 77, 1});
        byte[] sku = Files.readAllBytes(d.targetListFile(Task.PROPENSITY_SKU));
        byte[] skuPop = Files.readAllBytes(d.popularityFile(Task.PROPENSITY_SKU));
        byte[] active = Files.readAllBytes(d.activeClientsFile());
        byte[] category = Files.readAllBytes(d.targetListFile(Task.PROPENSITY_CATEGORY));

        Splitter.Result r = Splitter.split(Splitter.Config.of(tmp));
        assertArrayEquals(sku, Files.readAllBytes(d.targetListFile(Task.PROPENSITY_SKU)));
        assertArrayEquals(skuPop, Files.readAllBytes(d.popularityFile(Task.PROPENSITY_SKU)));
        assertArrayEquals(active, Files.readAllBytes(d.activeClientsFile()));
        assertArrayEquals(category, Files.readAllBytes(d.targetListFile(Task.PROPENSITY_CATEGORY)));
        // a given list without its popularity gets the buys of its own ids, in its order
        assertArrayEquals(new long[] {3, 0, 4}, Npy.readLongs(d.popularityFile(Task.PROPENSITY_CATEGORY)));
        assertList(d, Task.PROPENSITY_NEW_SKU, new long[] {20, 21}, new long[] {2, 1});
        assertList(d, Task.PROPENSITY_PRICE, new long[] {5, 7, 9, 50}, new long[] {4, 3, 0, 0});
        assertEquals("kept (given, not changed)", r.action("target/propensity_sku.npy"));
        assertEquals("computed", r.action("target/propensity_new_sku.npy"));
        assertEquals(1, r.activeClients());
        String summary = r.summary();
        assertTrue(summary.contains("target/propensity_sku.npy") && summary.contains("2 ids, kept (given, not "
                + "changed)") && summary.contains("target/popularity_propensity_category.npy  computed for the given "
                + "list"), summary);

        // a second split replaces what split wrote (here: a stale new-sku list) and still keeps every given file
        Npy.writeLongs(d.targetListFile(Task.PROPENSITY_NEW_SKU), new long[] {1});
        Npy.writeLongs(d.popularityFile(Task.PROPENSITY_CATEGORY), new long[] {0, 0, 0});
        Splitter.split(Splitter.Config.of(tmp));
        assertList(d, Task.PROPENSITY_NEW_SKU, new long[] {20, 21}, new long[] {2, 1});
        assertArrayEquals(new long[] {3, 0, 4}, Npy.readLongs(d.popularityFile(Task.PROPENSITY_CATEGORY)));
        Map<String, Object> run = Json.parseObject(Files.readString(d.targetDir().resolve("run.json")));
        Map<?, ?> config = (Map<?, ?>) run.get("config");
        assertEquals(List.of("target/active_clients.npy", "target/propensity_category.npy", "target/propensity_sku.npy",
                "target/popularity_propensity_sku.npy"), config.get("kept"));
        assertTrue(((List<?>) config.get("written")).contains("target/popularity_propensity_category.npy"), "" + run);
        assertArrayEquals(sku, Files.readAllBytes(d.targetListFile(Task.PROPENSITY_SKU)));
        assertArrayEquals(active, Files.readAllBytes(d.activeClientsFile()));
        assertArrayEquals(category, Files.readAllBytes(d.targetListFile(Task.PROPENSITY_CATEGORY)));
        assertNoTempFiles();
    }

    @Test
    void givenInputEventsAndTargetWindowsAreKept() throws Exception {
        ChallengeDataDir d = world().write(tmp, Format.PARQUET);
        Files.createDirectories(d.inputDir());
        Files.createDirectories(d.targetDir());
        HandWorld.parquet(d.inputDir().resolve("page_visit.parquet"), "SELECT 1::BIGINT AS client_id, "
                + "'2022-01-01 00:00:00' AS timestamp, 5::BIGINT AS url");
        Files.writeString(d.targetDir().resolve("train_target.csv"), "client_id,timestamp,sku,category,price,name\n");
        byte[] visits = Files.readAllBytes(d.inputDir().resolve("page_visit.parquet"));
        Splitter.Result r = Splitter.split(new Splitter.Config(tmp, null, 42, false));
        assertArrayEquals(visits, Files.readAllBytes(d.inputDir().resolve("page_visit.parquet")));
        assertEquals("client_id,timestamp,sku,category,price,name\n",
                Files.readString(d.targetDir().resolve("train_target.csv")));
        assertFalse(Files.exists(d.targetDir().resolve("train_target.parquet")));
        assertEquals("kept (given, not changed)", r.action("input/page_visit.parquet"));
        assertEquals(7, r.inputEvents().get("product_buy"));
    }

    @Test
    void aSplitRecordWithoutAWrittenListCountsAsHavingWrittenEveryOutput() throws Exception {
        ChallengeDataDir d = world().write(tmp, Format.PARQUET);
        Files.createDirectories(d.targetDir());
        Npy.writeLongs(d.targetListFile(Task.PROPENSITY_SKU), new long[] {99});
        Files.writeString(d.targetDir().resolve("run.json"), "{\"stage\": \"split\", \"config\": {}}");
        Splitter.split(Splitter.Config.of(tmp));
        assertList(d, Task.PROPENSITY_SKU, new long[] {10, 11, 12}, new long[] {3, 3, 1});
    }

    @Test
    void aGivenPopularityWithoutItsListIsBadInputAndNothingIsWritten() throws Exception {
        ChallengeDataDir d = world().write(tmp, Format.PARQUET);
        Files.createDirectories(d.targetDir());
        Npy.writeLongs(d.popularityFile(Task.PROPENSITY_SKU), new long[] {5});
        BadInputException e = assertThrows(BadInputException.class, () -> Splitter.split(Splitter.Config.of(tmp)));
        assertTrue(e.getMessage().startsWith(d.popularityFile(Task.PROPENSITY_SKU) + " is given but "
                + d.targetListFile(Task.PROPENSITY_SKU) + " is not"), e.getMessage());
        assertFalse(Files.exists(d.inputDir().resolve("product_buy.parquet")));
        assertFalse(Files.exists(d.targetDir().resolve("run.json")));
    }

    @Test
    void splittingIntoAnotherDirCopiesTheGivenListsAndLeavesTheDataDirAlone() throws Exception {
        Path raw = tmp.resolve("raw");
        ChallengeDataDir r = world().write(raw, Format.PARQUET);
        Files.createDirectories(r.targetDir());
        Npy.writeLongs(r.targetListFile(Task.PROPENSITY_SKU), new long[] {99, 12});
        Npy.writeLongs(r.popularityFile(Task.PROPENSITY_SKU), new long[] {50, 40});
        byte[] sku = Files.readAllBytes(r.targetListFile(Task.PROPENSITY_SKU));
        Path out = tmp.resolve("out");
        Splitter.Result res = Splitter.split(new Splitter.Config(raw, out, 42, true));
        ChallengeDataDir o = ChallengeDataDir.open(out);
        assertArrayEquals(sku, Files.readAllBytes(o.targetListFile(Task.PROPENSITY_SKU)));
        assertArrayEquals(new long[] {50, 40}, Npy.readLongs(o.popularityFile(Task.PROPENSITY_SKU)));
        assertEquals("copied from the data dir (given, not changed)", res.action("target/propensity_sku.npy"));
        assertList(o, Task.PROPENSITY_CATEGORY, new long[] {1, 2}, new long[] {4, 3});
        try (Stream<Path> s = Files.list(r.targetDir())) {
            assertEquals(2, s.count(), "the data dir's target/ is left as it was");
        }
        assertArrayEquals(sku, Files.readAllBytes(r.targetListFile(Task.PROPENSITY_SKU)));
    }
}
