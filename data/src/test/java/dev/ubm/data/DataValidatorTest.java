package dev.ubm.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ubm.core.BadInputException;
import dev.ubm.core.ChallengeDataDir;
import dev.ubm.core.ChallengeDataDir.Format;
import dev.ubm.core.EventType;
import dev.ubm.core.Progress;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DataValidatorTest {
    @TempDir
    Path tmp;

    @BeforeAll
    static void quiet() {
        Progress.setEnabled(false);
    }

    private static String all(DataValidator.Report r) {
        return String.join("\n", r.messages());
    }

    private static void assertHas(DataValidator.Report r, String... parts) {
        String text = all(r);
        for (String p : r.messages()) {
            boolean every = true;
            for (String part : parts) {
                every &= p.contains(part);
            }
            if (every) {
                return;
            }
        }
        throw new AssertionError("no problem contains all of " + List.of(parts) + " in:\n" + text);
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void aValidWorldHasNoProblemAndASummary(Format f) {
        ChallengeDataDir d = HandWorld.small().write(tmp, f);
        DataValidator.Report r = DataValidator.validate(d);
        assertTrue(r.ok(), all(r));
        String s = r.summary();
        assertTrue(s.contains("product_buy" + f.suffix()), s);
        assertTrue(s.contains("2022-01-01 10:00:00 .. 2022-01-03 00:00:00"), s);
        assertTrue(s.contains("codes per query: 3"), s);
        assertTrue(s.contains("input/relevant_clients.npy"), s);
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void unparsableTimestampsAreCountedWithTheFirstRowAndValue(Format f) {
        ChallengeDataDir d = HandWorld.small().visit(4, "2022-13-01 00:00:00", 1).visit(4, "2022/01/01 00:00:00", 1)
                .visit(4, "2022-01-01T00:00:00", 1).write(tmp, f);
        DataValidator.Report r = DataValidator.validate(d);
        assertEquals(1, r.problems().size(), all(r));
        DataValidator.Problem p = r.problems().get(0);
        assertEquals("page_visit" + f.suffix(), p.file());
        assertEquals("timestamp", p.column());
        assertEquals(3, p.count());
        assertEquals(2, p.row());
        assertEquals("'2022-13-01 00:00:00'", p.value());
        assertTrue(p.message().contains("unparsable timestamp (expected 'YYYY-MM-DD HH:MM:SS'): 3 rows, first at row 2"),
                p.message());
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void malformedCodeStringsAreFoundWhateverTheirLength(Format f) {
        ChallengeDataDir d = HandWorld.small().search(5, "2022-01-01 00:00:00", "[1 2 300]")
                .search(5, "2022-01-01 00:00:01", "1 2 3").search(5, "2022-01-01 00:00:02", "[]")
                .search(5, "2022-01-01 00:00:03", "[1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20]")
                .product(13, 1, 5, "[1 x 2]").buy(5, "2022-01-01 00:00:04", 13).write(tmp, f);
        DataValidator.Report r = DataValidator.validate(d);
        assertHas(r, "search_query" + f.suffix(), "column 'query'", "malformed code string", "3 rows",
                "first at row 1: '[1 2 300]'");
        assertHas(r, "product_properties" + f.suffix(), "column 'name'", "malformed code string", "at row 3: '[1 x 2]'");
        assertEquals(2, r.problems().size(), all(r));
    }

    @Test
    void csvIdsThatAreNotIntegersOrAreNullAreReported() {
        ChallengeDataDir d = HandWorld.small().event(EventType.PAGE_VISIT, "abc", "2022-01-01 00:00:00", 1)
                .event(EventType.PAGE_VISIT, "3.0", "2022-01-01 00:00:00", 1)
                .event(EventType.PAGE_VISIT, null, "2022-01-01 00:00:00", 1)
                .event(EventType.PAGE_VISIT, "NaN", "2022-01-01 00:00:00", 1).write(tmp, Format.CSV);
        DataValidator.Report r = DataValidator.validate(d);
        assertHas(r, "page_visit.csv", "column 'client_id'", "not an integer", "2 rows", "first at row 2: 'abc'");
        assertHas(r, "page_visit.csv", "column 'client_id'", "NULL/NaN value", "2 rows", "first at row 4: NULL");
        assertEquals(2, r.problems().size(), all(r));
    }

    @Test
    void parquetFloatClientIdsAreAWrongTypeAndTheirNaNsAreCounted() throws Exception {
        ChallengeDataDir d = HandWorld.small().write(tmp, Format.PARQUET);
        HandWorld.parquet(tmp.resolve("product_buy.parquet"), "SELECT * FROM (VALUES (1.0::DOUBLE, '2022-01-01 "
                + "00:00:00', 10::BIGINT), ('NaN'::DOUBLE, '2022-01-01 00:00:00', 10), (NULL, '2022-01-01 00:00:00', 10),"
                + " (2.5, '2022-01-01 00:00:00', 10)) t(client_id, timestamp, sku)");
        DataValidator.Report r = DataValidator.validate(d);
        assertHas(r, "product_buy.parquet", "column 'client_id'", "wrong type DOUBLE (expected an integer type");
        assertHas(r, "product_buy.parquet", "column 'client_id'", "NULL/NaN value", "2 rows", "first at row 1: NaN");
        assertHas(r, "product_buy.parquet", "column 'client_id'", "not an integer", "at row 3: 2.5");
        assertEquals(3, r.problems().size(), all(r));
        BadInputException e = assertThrows(BadInputException.class, () -> EventStore.open(d).close());
        assertTrue(e.getMessage().contains("product_buy.parquet: column client_id: wrong type DOUBLE"), e.getMessage());
        assertTrue(e.getMessage().contains("product_buy.parquet: column client_id, row 3: not an integer: 2.5"),
                e.getMessage());
    }

    @Test
    void parquetTimestampColumnsAreFineAndOtherTypesAreNot() {
        ChallengeDataDir d = HandWorld.small().write(tmp, Format.PARQUET);
        HandWorld.parquet(tmp.resolve("add_to_cart.parquet"), "SELECT 1::BIGINT AS client_id, TIMESTAMP "
                + "'2022-01-01 00:00:00' AS timestamp, 10::BIGINT AS sku");
        assertTrue(DataValidator.validate(d).ok(), all(DataValidator.validate(d)));
        HandWorld.parquet(tmp.resolve("add_to_cart.parquet"), "SELECT 1::BIGINT AS client_id, DATE "
                + "'2022-01-01' AS timestamp, 10::BIGINT AS sku");
        DataValidator.Report r = DataValidator.validate(d);
        assertHas(r, "add_to_cart.parquet", "column 'timestamp'", "wrong type DATE");
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void missingFilesAndColumnsAreAllListed(Format f) throws Exception {
        ChallengeDataDir d = HandWorld.small().write(tmp, f);
        Files.delete(tmp.resolve("page_visit" + f.suffix()));
        if (f == Format.CSV) {
            Files.writeString(tmp.resolve("search_query.csv"), "client_id,timestamp,text\n1,2022-01-01 00:00:00,x\n");
        } else {
            HandWorld.parquet(tmp.resolve("search_query.parquet"), "SELECT 1::BIGINT AS client_id, "
                    + "'2022-01-01 00:00:00' AS timestamp, 'x' AS text");
        }
        DataValidator.Report r = DataValidator.validate(d);
        assertHas(r, "page_visit.parquet (or .csv)", "missing file");
        assertHas(r, "search_query" + f.suffix(), "column 'query'", "missing column (found: client_id, timestamp, text)");
        assertEquals(2, r.problems().size(), all(r));
        BadInputException e = assertThrows(BadInputException.class, () -> EventStore.open(d).close());
        assertTrue(e.getMessage().contains("page_visit"), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void duplicateSkusAndSkusMissingFromPropertiesAreReported(Format f) {
        ChallengeDataDir d = HandWorld.small().product(11, 3, 8, "[1 1 1]").product(12, 3, 8, "[1 1 1]")
                .add(1, "2022-01-01 00:00:00", 99).add(1, "2022-01-01 00:00:01", 98).add(2, "2022-01-01 00:00:01", 99)
                .write(tmp, f);
        DataValidator.Report r = DataValidator.validate(d);
        assertHas(r, "product_properties" + f.suffix(), "column 'sku'", "duplicate sku (2 sku values on 4 rows)",
                "sku 11 on rows [1, 3]");
        assertHas(r, "add_to_cart" + f.suffix(), "column 'sku'", "sku missing from product_properties (2 distinct)",
                "3 rows, first at row 1: 99");
        assertEquals(2, r.problems().size(), all(r));
    }

    @Test
    void priceBucketsOutsideTheRangeAreReported() {
        ChallengeDataDir d = HandWorld.small().product(13, 1, 100, "[1]").product(14, 1, -1, "[2]").write(tmp,
                Format.PARQUET);
        DataValidator.Report r = DataValidator.validate(d);
        assertHas(r, "product_properties.parquet", "column 'price'", "price bucket outside 0..99", "2 rows",
                "first at row 3: 100");
    }

    @Test
    void relevantClientsMustBeOneDimensionalInt64WithoutDuplicates() {
        ChallengeDataDir d = HandWorld.small().relevant(1, 2, 3, 2, 7, 7, 7).write(tmp, Format.PARQUET);
        DataValidator.Report r = DataValidator.validate(d);
        assertHas(r, "input/relevant_clients.npy", "duplicate ids (2 ids appear more than once)",
                "id 2 at positions 1 and 3");
        assertThrows(BadInputException.class, () -> EventStore.open(d).close());

        HandWorld.npy(d.relevantClientsFile(), "<i4", new long[] {3}, HandWorld.int32(1, 2, 3));
        assertHas(DataValidator.validate(d), "input/relevant_clients.npy",
                "expected a 1-D int64 array, found int32 of shape (3,)");
        HandWorld.npy(d.relevantClientsFile(), "<i8", new long[] {2, 2}, HandWorld.int64(1, 2, 3, 4));
        assertHas(DataValidator.validate(d), "input/relevant_clients.npy",
                "expected a 1-D int64 array, found int64 of shape (2, 2)");
        BadInputException e = assertThrows(BadInputException.class, () -> EventStore.open(d).close());
        assertTrue(e.getMessage().contains("relevant_clients.npy: expected a 1-D int64 array"), e.getMessage());
    }

    @Test
    void everyProblemIsReturnedAtOnce() {
        ChallengeDataDir d = HandWorld.small().visit(4, "yesterday", 1).search(4, "2022-01-01 00:00:00", "[1 2")
                .buy(4, "2022-01-01 00:00:00", 404).product(10, 1, 5, "[1 2 3]").relevant(1, 1).write(tmp, Format.CSV);
        DataValidator.Report r = DataValidator.validate(d);
        assertEquals(5, r.problems().size(), all(r));
        BadInputException e = assertThrows(BadInputException.class, r::orThrow);
        assertEquals(5, e.problems().size());
    }

    @Test
    void openingAStoreRefusesABadValueNamingFileColumnRowAndValue() {
        ChallengeDataDir d = HandWorld.small().visit(4, "yesterday", 1).write(tmp, Format.CSV);
        BadInputException e = assertThrows(BadInputException.class, () -> EventStore.open(d).close());
        assertEquals(tmp.resolve("page_visit.csv") + ": column timestamp, row 2: cannot parse 'yesterday' as "
                + "TIMESTAMP 'YYYY-MM-DD HH:MM:SS'", e.getMessage());
    }

    @Test
    void aFailedQueryIsTracedBackToTheBadValue() {
        ChallengeDataDir d = HandWorld.small().write(tmp, Format.CSV);
        try (EventStore s = EventStore.open(d)) {
            // the file goes bad after the store opened: the query's conversion error is located by a second scan
            HandWorld.small().visit(4, "yesterday", 1).write(tmp, Format.CSV);
            BadInputException e = assertThrows(BadInputException.class,
                    () -> ClientSequences.forEach(s, SequenceOptions.all(), ev -> { }));
            assertTrue(e.getMessage().startsWith(tmp.resolve("page_visit.csv") + ": column timestamp, row 2: cannot "
                    + "parse 'yesterday' as TIMESTAMP"), e.getMessage());
        }
    }

    @Test
    void aSplitDirIsCheckedInputAndTargetsIncluded() throws Exception {
        ChallengeDataDir d = HandWorld.small().write(tmp, Format.PARQUET);
        Files.createDirectories(d.targetDir());
        Npy.writeLongs(d.targetDir().resolve("propensity_sku.npy"), new long[] {10, 11});
        Npy.writeLongs(d.targetDir().resolve("popularity_propensity_sku.npy"), new long[] {3});
        Npy.writeLongs(d.activeClientsFile(), new long[] {1, 1});
        for (EventType t : EventType.values()) {
            Files.copy(d.rawEventFile(t), d.inputDir().resolve(t.stem() + ".parquet"));
        }
        HandWorld.parquet(d.inputDir().resolve("product_buy.parquet"), "SELECT 1::BIGINT AS client_id, 'bad' AS "
                + "timestamp, 10::BIGINT AS sku");
        DataValidator.Report r = DataValidator.validate(d);
        assertHas(r, "target/popularity_propensity_sku.npy", "has 1 values but target/propensity_sku.npy has 2");
        assertHas(r, "target/active_clients.npy", "duplicate ids");
        assertHas(r, "input/product_buy.parquet", "unparsable timestamp", "'bad'");
        assertEquals(3, r.problems().size(), all(r));
    }
}
