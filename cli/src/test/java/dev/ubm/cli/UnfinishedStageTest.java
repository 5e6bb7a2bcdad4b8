package dev.ubm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ubm.core.BlockDir;
import dev.ubm.core.ChallengeDataDir;
import dev.ubm.data.Npy;
import dev.ubm.data.TestWorlds;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** combine, probe and ablate refuse the dir of a stage that did not finish (no block.json): exit 3, not 2. */
class UnfinishedStageTest {
    @TempDir
    static Path tmp;
    static ChallengeDataDir world;
    static Path finished;
    /** What a first run killed during training leaves: the output dir with only its checkpoint. */
    static Path killedFirstRun;
    /** What older versions left after a killed rerun: the old arrays without block.json. */
    static Path staleArrays;

    @BeforeAll
    static void dirs() throws Exception {
        world = TestWorlds.shared(23);
        long[] ids = Npy.readLongs(world.relevantClientsFile());
        finished = tmp.resolve("finished");
        BlockDir b = new BlockDir(finished);
        b.createDirs();
        Npy.writeLongs(b.clientIdsFile(), ids);
        Npy.writeFloat32(b.embeddingsFile(), new float[ids.length * 2], ids.length, 2);
        b.writeMeta(BlockDir.Meta.of("test", 2, ids.length, "float32", Map.of(), 0, "test", 0));
        killedFirstRun = Files.createDirectories(tmp.resolve("killed/.gnn-checkpoint")).getParent();
        staleArrays = tmp.resolve("stale");
        Files.createDirectories(staleArrays);
        Files.copy(b.clientIdsFile(), staleArrays.resolve(BlockDir.CLIENT_IDS));
        Files.copy(b.embeddingsFile(), staleArrays.resolve(BlockDir.EMBEDDINGS));
    }

    private static void unfinished(CliRunner.Result r, Path dir) {
        assertEquals(3, r.code(), r.err());
        assertTrue(r.err().contains("unfinished stage: rerun"), r.err());
        assertTrue(r.err().contains(dir.toString()), r.err());
    }

    @Test
    void combineOnAKilledStagesDirExitsThree() {
        for (Path dir : new Path[] {killedFirstRun, staleArrays}) {
            CliRunner.Result r = CliRunner.run("combine", "--blocks", finished.toString(), dir.toString(),
                    "--embeddings-dir", tmp.resolve("sub").toString(), "--data-dir", world.root().toString(),
                    "--quiet");
            unfinished(r, dir);
        }
    }

    @Test
    void probeOnAKilledStagesDirExitsThree() {
        for (Path dir : new Path[] {killedFirstRun, staleArrays}) {
            CliRunner.Result r = CliRunner.run("probe", "--data-dir", world.root().toString(), "--embeddings-dir",
                    dir.toString(), "--score-dir", tmp.resolve("scores").toString(), "--tasks", "churn", "--probe",
                    "linear", "--no-baseline", "--quiet");
            unfinished(r, dir);
        }
    }

    @Test
    void ablateOnAKilledStagesDirExitsThree() {
        for (Path dir : new Path[] {killedFirstRun, staleArrays}) {
            CliRunner.Result r = CliRunner.run("ablate", "--data-dir", world.root().toString(), "--blocks",
                    "a=" + finished, "b=" + dir, "--probe", "linear", "--tasks", "churn", "--score-dir",
                    tmp.resolve("ablate").toString(), "--quiet");
            unfinished(r, dir);
        }
    }
}
