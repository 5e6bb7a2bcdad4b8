package dev.ubm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ubm.core.ChallengeDataDir;
import dev.ubm.core.Progress;
import dev.ubm.data.TestWorlds;
import dev.ubm.data.EventStore;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AsOfCommandTest {
    @TempDir
    Path tmp;

    @BeforeAll
    static void quiet() {
        Progress.setEnabled(false);
    }

    @Test
    void writesTheDataDirAsItLookedLabelDaysBeforeTheCutoff() {
        ChallengeDataDir data = TestWorlds.shared(7);
        Path out = tmp.resolve("asof");
        CliRunner.Result r = CliRunner.run("asof", "--data-dir", data.root().toString(), "--out-dir", out.toString(),
                "--label-days", "14");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("asof: "), r.out());
        assertTrue(Files.isRegularFile(out.resolve("asof.json")));
        assertFalse(Files.exists(tmp.resolve(".asof.tmp")));
        try (EventStore src = EventStore.open(data); EventStore dst = EventStore.open(ChallengeDataDir.open(out))) {
            assertFalse(dst.cutoff().isAfter(src.cutoff().minusDays(14)), dst.cutoff() + " vs " + src.cutoff());
        }
    }

    @Test
    void refusesANonEmptyOutputDir() throws Exception {
        ChallengeDataDir data = TestWorlds.shared(7);
        Path out = Files.createDirectories(tmp.resolve("full"));
        Files.writeString(out.resolve("x"), "x");
        CliRunner.Result r = CliRunner.run("asof", "--data-dir", data.root().toString(), "--out-dir", out.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("not empty"), r.err());
    }

    @Test
    void refusesZeroLabelDays() {
        ChallengeDataDir data = TestWorlds.shared(7);
        CliRunner.Result r = CliRunner.run("asof", "--data-dir", data.root().toString(), "--out-dir",
                tmp.resolve("a").toString(), "--label-days", "0");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--label-days"), r.err());
    }
}
