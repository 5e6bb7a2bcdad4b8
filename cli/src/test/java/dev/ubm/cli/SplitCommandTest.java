package dev.ubm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ubm.core.ChallengeDataDir;
import dev.ubm.core.ChallengeDataDir.Format;
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

class SplitCommandTest {
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
    void splitsAValidDirAndPrintsTheWindows(Format f) {
        HandWorld.splittable().write(tmp, f);
        assertEquals(0, ubm("split", "--data-dir", tmp.toString(), "--seed", "3"), err.toString());
        String o = out.toString();
        assertTrue(o.contains("train target                               [2022-02-02 00:00:00, 2022-02-16 00:00:00)"), o);
        assertTrue(o.contains("target/train_target.parquet                5 buys, computed"), o);
        assertTrue(o.contains("target/validation_target.parquet           2 buys, computed"), o);
        assertTrue(o.contains("target/propensity_sku.npy                  3 ids, computed"), o);
        assertTrue(ChallengeDataDir.open(tmp).problems(ChallengeDataDir.Need.EVENTS, ChallengeDataDir.Need.TARGET_LISTS,
                ChallengeDataDir.Need.TARGET_WINDOWS).isEmpty());
    }

    @Test
    void writesToAnOutDir() {
        HandWorld.splittable().write(tmp.resolve("raw"), Format.PARQUET);
        assertEquals(0, ubm("split", "--data-dir", tmp.resolve("raw").toString(), "--out-dir",
                tmp.resolve("out").toString()), err.toString());
        assertTrue(Files.exists(tmp.resolve("out/target/propensity_sku.npy")));
        assertTrue(Files.exists(tmp.resolve("out/input/relevant_clients.npy")));
        assertFalse(Files.exists(tmp.resolve("raw/target")));
    }

    @Test
    void badValuesExitTwoNamingEveryProblem() {
        HandWorld.splittable().visit(6, "2022-02-30 00:00:00", 1).search(6, "2022-01-01 00:00:00", "[1 2 256]")
                .write(tmp, Format.CSV);
        assertEquals(2, ubm("split", "--data-dir", tmp.toString()));
        String e = err.toString();
        assertTrue(e.startsWith("[ERROR] data dir "), e);
        assertTrue(e.contains("2 problem(s)"), e);
        assertTrue(e.contains("page_visit.csv: column 'timestamp': unparsable timestamp (expected 'YYYY-MM-DD HH:MM:SS') "
                + "at row 3: '2022-02-30 00:00:00'"), e);
        assertTrue(e.contains("search_query.csv: column 'query': malformed code string"), e);
        assertFalse(e.contains("\tat "), "no stack trace without --verbose");
        assertFalse(Files.exists(tmp.resolve("target")));
    }

    @Test
    void aTargetSkuMissingFromPropertiesExitsTwo() {
        HandWorld.splittable().buy(8, "2022-02-20 00:00:00", 777).write(tmp, Format.PARQUET);
        assertEquals(2, ubm("split", "--data-dir", tmp.toString(), "--no-validate"));
        assertTrue(err.toString().contains("1 product_buy events in the target windows (1 distinct skus) have a sku "
                + "missing from product_properties.parquet; first: client 8 bought sku 777"), err.toString());
    }

    @Test
    void wrongTypesExitTwoEvenWithoutValidation() {
        HandWorld.splittable().write(tmp, Format.PARQUET);
        HandWorld.parquet(tmp.resolve("page_visit.parquet"), "SELECT 1.5::DOUBLE AS client_id, "
                + "'2022-01-01 00:00:00' AS timestamp, 3::BIGINT AS url");
        assertEquals(2, ubm("split", "--data-dir", tmp.toString(), "--no-validate"));
        assertTrue(err.toString().contains("page_visit.parquet: column client_id: wrong type DOUBLE"), err.toString());
    }

    @Test
    void aMissingDataDirExitsTwo() {
        assertEquals(2, ubm("split", "--data-dir", tmp.resolve("nope").toString()));
        assertTrue(err.toString().contains("does not exist"), err.toString());
        assertEquals(2, ubm("split"));
    }
}
