package dev.ubm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ubm.core.ChallengeDataDir.Format;
import dev.ubm.core.EventType;
import dev.ubm.core.Progress;
import dev.ubm.data.HandWorld;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import picocli.CommandLine;

class ValidateDataCommandTest {
    @TempDir
    Path tmp;

    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    @BeforeAll
    static void quiet() {
        Progress.setEnabled(false);
    }

    int ubm(String... args) {
        CommandLine cl = Ubm.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void aValidDirExitsZeroWithCountsAndTimeSpans(Format f) {
        HandWorld.small().write(tmp, f);
        assertEquals(0, ubm("validate-data", "--data-dir", tmp.toString()), err.toString());
        String o = out.toString();
        assertTrue(o.contains(": OK ("), o);
        assertTrue(o.contains("page_visit" + f.suffix()), o);
        assertTrue(o.contains("2022-01-01 09:58:00 .. 2022-01-02 00:00:01"), o);
        assertEquals("", err.toString());
    }

    @Test
    void aSplitDirIsValidToo() {
        HandWorld.splittable().write(tmp, Format.PARQUET);
        assertEquals(0, ubm("split", "--data-dir", tmp.toString()), err.toString());
        assertEquals(0, ubm("validate-data", "--data-dir", tmp.toString()), err.toString());
        assertTrue(out.toString().contains("target/train_target.parquet"), out.toString());
        assertTrue(out.toString().contains("input/page_visit.parquet"), out.toString());
        assertEquals(0, ubm("validate-data", "--data-dir", tmp.toString(), "--sequences"), err.toString());
        assertTrue(out.toString().contains("client sequences: 11 events of 6 clients in "), out.toString());
    }

    /** Every bad-input case of the issue, in one dir: each is listed, and the exit code is 1. */
    @Test
    void everyBadInputCaseIsListedAndExitsOne() throws Exception {
        HandWorld.small()
                .visit(4, "2022-13-01 00:00:00", 1)                          // unparsable timestamp
                .search(4, "2022-01-01 00:00:00", "[1 2 999]")               // malformed code string
                .product(12, 1, 9, "[0 0 0]")                                 // duplicate sku
                .add(4, "2022-01-01 00:00:00", 404)                           // sku missing from properties
                .event(EventType.REMOVE_FROM_CART, "x1", "2022-01-01 00:00:00", 11) // client_id not an integer
                .event(EventType.REMOVE_FROM_CART, null, "2022-01-01 00:00:00", 11) // NULL client id
                .relevant(1, 2, 2)                                            // duplicate relevant client
                .write(tmp, Format.CSV);
        Files.writeString(tmp.resolve("product_buy.csv"), "client_id,timestamp\n1,2022-01-01 00:00:00\n"); // no sku
        assertEquals(1, ubm("validate-data", "--data-dir", tmp.toString()));
        String e = err.toString();
        assertTrue(e.startsWith("[ERROR] data dir " + tmp.toAbsolutePath() + " failed validation: 8 problem(s)"), e);
        for (String expected : new String[] {
            "page_visit.csv: column 'timestamp': unparsable timestamp (expected 'YYYY-MM-DD HH:MM:SS') at row 2: "
                    + "'2022-13-01 00:00:00'",
            "search_query.csv: column 'query': malformed code string (expected \"[c1 c2 ...]\" of integers 0..255, at "
                    + "least one) at row 1: '[1 2 999]'",
            "product_properties.csv: column 'sku': duplicate sku (1 sku values on 2 rows): sku 12 on rows [2, 3]",
            "add_to_cart.csv: column 'sku': sku missing from product_properties (1 distinct) at row 1: 404",
            "remove_from_cart.csv: column 'client_id': not an integer at row 1: 'x1'",
            "remove_from_cart.csv: column 'client_id': NULL/NaN value at row 2: NULL",
            "input/relevant_clients.npy: duplicate ids (1 ids appear more than once): id 2 at positions 1 and 2",
            "product_buy.csv: column 'sku': missing column (found: client_id, timestamp)"}) {
            assertTrue(e.contains(expected), "missing: " + expected + "\nin:\n" + e);
        }
    }

    @Test
    void wrongParquetTypesAndBadNpyAreListed() {
        HandWorld.small().write(tmp, Format.PARQUET);
        HandWorld.parquet(tmp.resolve("search_query.parquet"), "SELECT 1::BIGINT AS client_id, "
                + "'2022-01-01 00:00:00' AS timestamp, [1, 2, 3] AS query");
        HandWorld.parquet(tmp.resolve("page_visit.parquet"), "SELECT 'a'::VARCHAR AS client_id, "
                + "'2022-01-01 00:00:00' AS timestamp, 1::BIGINT AS url");
        HandWorld.npy(tmp.resolve("input/relevant_clients.npy"), "<f8", new long[] {1}, HandWorld.int64(0));
        assertEquals(1, ubm("validate-data", "--data-dir", tmp.toString()));
        String e = err.toString();
        assertTrue(e.contains("search_query.parquet: column 'query': wrong type INTEGER[] (expected a string"), e);
        assertTrue(e.contains("page_visit.parquet: column 'client_id': wrong type VARCHAR (expected an integer type"), e);
        assertTrue(e.contains("input/relevant_clients.npy: expected a 1-D int64 array, found float64 of shape (1,)"), e);
    }

    @Test
    void aMissingDirExitsTwo() {
        assertEquals(2, ubm("validate-data", "--data-dir", tmp.resolve("nope").toString()));
        assertTrue(err.toString().contains("does not exist"), err.toString());
    }
}
