package dev.ubm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;

class UbmTest {
    @Test
    void versionPrintsTheCodeVersion() {
        CliRunner.Result r = CliRunner.run("--version");
        assertEquals(0, r.code());
        assertTrue(r.out().startsWith("ubm "), r.out());
    }

    @Test
    void unknownOptionIsBadInputWithoutStackTrace() {
        CliRunner.Result r = CliRunner.run("split", "--no-such-flag");
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("[ERROR]"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
    }

    @CommandLine.Command(name = "hungry")
    static final class Hungry implements Runnable {
        @Override
        public void run() {
            throw new OutOfMemoryError("Java heap space");
        }
    }

    @Test
    void runningOutOfHeapIsExitFiveNamingTheHeapSetting() {
        CommandLine cl = new CommandLine(new Hungry());
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        assertEquals(5, Ubm.execute(cl));
        assertTrue(err.toString().startsWith("[ERROR] out of memory (Java heap space; the JVM's heap limit is "),
                err.toString());
        assertTrue(err.toString().contains("UBM_JAVA_OPTS=-Xmx"), err.toString());
    }

    @Test
    void missingSubcommandIsBadInput() {
        assertEquals(2, CliRunner.run().code());
    }

    @Test
    void encodeHelpListsBothEncoders() {
        CliRunner.Result r = CliRunner.run("encode", "--help");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("seq ") && r.out().contains("dcn "), r.out());
    }

    @Test
    void topLevelHelpGivesEveryCommandOneWholeSentence() {
        CliRunner.Result r = CliRunner.run("--help");
        assertEquals(0, r.code(), r.err());
        String commands = r.out().substring(r.out().indexOf("Commands:"));
        // each command's summary ends its sentence (no description cut off at a colon or mid-clause)
        for (String entry : commands.split("\n  (?=[a-z])")) {
            if (entry.startsWith("Commands:")) {
                continue;
            }
            assertTrue(entry.strip().endsWith("."), "summary cut short: " + entry);
        }
        assertFalse(commands.contains("train on the train\n"), commands);
    }

    @Test
    void outputFlagsAreSpelledOneWayPerKindOfOutput() {
        // data dirs: --out-dir; embedding blocks and submissions: --embeddings-dir; scores: --score-dir
        for (String[] cmd : new String[][] {{"synth"}, {"asof"}, {"split"}}) {
            assertTrue(CliRunner.run(concat(cmd, "--help")).out().contains("--out-dir"), cmd[0]);
        }
        for (String[] cmd : new String[][] {{"combine"}, {"features"}, {"gnn"}, {"encode", "seq"}, {"encode", "dcn"}}) {
            String help = CliRunner.run(concat(cmd, "--help")).out();
            assertTrue(help.contains("--embeddings-dir"), String.join(" ", cmd));
            assertFalse(help.matches("(?s).*--out[ =].*"), String.join(" ", cmd));
        }
        for (String cmd : new String[] {"probe", "ablate"}) {
            assertTrue(CliRunner.run(cmd, "--help").out().contains("--score-dir"), cmd);
        }
    }

    private static String[] concat(String[] a, String b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + 1);
        r[a.length] = b;
        return r;
    }
}
