package dev.ubm.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChallengeDataDirTest {
    @TempDir
    Path dir;

    private void touch(Path p) throws Exception {
        Files.createDirectories(p.getParent());
        Files.writeString(p, "");
    }

    private void rawLayout(Path root, String suffix) throws Exception {
        for (EventType t : EventType.values()) {
            touch(root.resolve(t.stem() + suffix));
        }
        touch(root.resolve("product_properties" + suffix));
        touch(root.resolve("input/relevant_clients.npy"));
    }

    @Test
    void emptyDirListsEveryMissingFileAtOnce() throws Exception {
        List<String> p = ChallengeDataDir.open(dir).problems(ChallengeDataDir.Need.RAW_EVENTS);
        assertEquals(7, p.size(), p.toString());
        assertTrue(p.get(0).contains("product_buy.parquet"));
        BadInputException e = assertThrows(BadInputException.class,
                () -> ChallengeDataDir.open(dir).require(ChallengeDataDir.Need.EVENTS));
        assertEquals(ExitCode.BAD_INPUT, e.exitCode());
        assertEquals(7, e.problems().size());
    }

    @Test
    void csvLayoutIsAccepted() throws Exception {
        rawLayout(dir, ".csv");
        ChallengeDataDir d = ChallengeDataDir.open(dir).require(ChallengeDataDir.Need.RAW_EVENTS);
        assertEquals(ChallengeDataDir.Format.CSV, ChallengeDataDir.formatOf(d.eventFile(EventType.PAGE_VISIT)));
    }

    @Test
    void eventsComeFromInputAfterASplitUnlessAllEventsIsAsked() throws Exception {
        rawLayout(dir, ".parquet");
        assertFalse(ChallengeDataDir.open(dir).isSplit());
        assertEquals(dir.toRealPath(), ChallengeDataDir.open(dir).eventsDir().toRealPath());
        for (EventType t : EventType.values()) {
            touch(dir.resolve("input").resolve(t.stem() + ".parquet"));
        }
        assertTrue(ChallengeDataDir.open(dir).isSplit());
        assertEquals(dir.resolve("input").toRealPath(), ChallengeDataDir.open(dir).eventsDir().toRealPath());
        assertEquals(dir.toRealPath(), ChallengeDataDir.openAllEvents(dir).eventsDir().toRealPath());
    }

    @Test
    void targetListsAreRequiredOnlyWhenAsked() throws Exception {
        rawLayout(dir, ".parquet");
        ChallengeDataDir d = ChallengeDataDir.open(dir);
        assertTrue(d.problems(ChallengeDataDir.Need.EVENTS).isEmpty());
        List<String> p = d.problems(ChallengeDataDir.Need.TARGET_LISTS, ChallengeDataDir.Need.TARGET_WINDOWS);
        assertEquals(1 + 2 * 4 + 2, p.size(), p.toString());
    }

    @Test
    void theInputFingerprintFollowsWhatEmbeddingStagesReadAndNothingElse() throws Exception {
        rawLayout(dir, ".parquet");
        ChallengeDataDir d = ChallengeDataDir.open(dir);
        String before = d.inputFingerprint();
        assertEquals(before, ChallengeDataDir.open(dir).inputFingerprint());
        touch(dir.resolve("target/train_target.parquet"));
        Files.writeString(dir.resolve("target/train_target.parquet"), "hidden window");
        assertEquals(before, d.inputFingerprint(), "the hidden target windows are not an embedding input");
        assertFalse(d.fingerprint(ChallengeDataDir.Need.TARGET_WINDOWS).equals(
                ChallengeDataDir.open(dir.resolve("nope")).fingerprint(ChallengeDataDir.Need.TARGET_WINDOWS)));
        touch(dir.resolve("target/propensity_sku.npy"));
        Files.writeString(dir.resolve("target/propensity_sku.npy"), "list");
        String withList = d.inputFingerprint();
        assertFalse(before.equals(withList), "a public target list is an input");
        Files.writeString(dir.resolve("product_buy.parquet"), "changed");
        assertFalse(withList.equals(d.inputFingerprint()), "events are an input");
    }
}
