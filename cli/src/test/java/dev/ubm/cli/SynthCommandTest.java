package dev.ubm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ubm.core.Json;
import dev.ubm.core.Progress;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

class SynthCommandTest {
    @TempDir
    Path tmp;

    @BeforeAll
    static void quiet() {
        Progress.setEnabled(false);
    }

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        CommandLine cl = Ubm.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void writesTheWorldAndRunJson() throws Exception {
        Path out = tmp.resolve("w");
        Run r = run("synth", "--clients", "300", "--relevant-clients", "100", "--days", "40", "--seed", "3",
                "--oracle-draws", "5", "--out-dir", out.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        for (String f : new String[] {"product_buy.parquet", "add_to_cart.parquet", "remove_from_cart.parquet",
            "page_visit.parquet", "search_query.parquet", "product_properties.parquet", "input/relevant_clients.npy",
            "oracle/futures.parquet", "oracle/oracle.json", "run.json"}) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
        Map<String, Object> runJson = Json.parseObject(Files.readString(out.resolve("run.json")));
        assertEquals("synth", runJson.get("stage"));
        assertEquals(3L, runJson.get("seed"));
        @SuppressWarnings("unchecked")
        Map<String, Object> config = (Map<String, Object>) runJson.get("config");
        assertEquals(300L, config.get("clients"));
        assertEquals(5L, config.get("oracle_draws"));
        assertTrue(r.out().contains("product_buy"), r.out());
        assertTrue(r.out().contains("oracle"), r.out());
    }

    @Test
    void profileChoosesTheGeneratorAndAnUnknownOneIsBadInput() throws Exception {
        Path out = tmp.resolve("s");
        Run r = run("synth", "--clients", "300", "--relevant-clients", "100", "--days", "40", "--oracle-draws", "5",
                "--profile", "structured", "--out-dir", out.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("profile structured"), r.out());
        @SuppressWarnings("unchecked")
        Map<String, Object> config = (Map<String, Object>) Json.parseObject(Files.readString(out.resolve("run.json")))
                .get("config");
        assertEquals("structured", config.get("profile"));
        r = run("synth", "--clients", "300", "--relevant-clients", "100", "--days", "40", "--profile", "nope",
                "--out-dir", tmp.resolve("n").toString(), "--quiet");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("unknown synth profile 'nope'"), r.err());
    }

    @Test
    void refusesANonEmptyOutUnlessForcedAndThenDropsStaleSplitOutputs() throws Exception {
        Path out = tmp.resolve("w");
        Files.createDirectories(out.resolve("target"));
        Files.writeString(out.resolve("target/validation_target.parquet"), "stale");
        Run r = run("synth", "--clients", "300", "--relevant-clients", "100", "--days", "40", "--out-dir",
                out.toString(), "--quiet");
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("[ERROR] --out-dir"), r.err());
        assertTrue(r.err().contains("--force"), r.err());
        r = run("synth", "--clients", "300", "--relevant-clients", "100", "--days", "40", "--out-dir", out.toString(),
                "--quiet", "--force");
        assertEquals(0, r.code(), r.err());
        assertFalse(Files.exists(out.resolve("target")));
    }

    @Test
    void badSizesExitWithCode2AndAMessage() {
        Run r = run("synth", "--clients", "100", "--relevant-clients", "100", "--out-dir", tmp.resolve("x").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("relevant clients must be"), r.err());
        assertFalse(r.err().contains("at dev.ubm"), "no stack trace without --verbose");
        r = run("synth", "--days", "20", "--out-dir", tmp.resolve("y").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("days must be at least 35"), r.err());
    }
}
