package dev.ubm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ubm.core.BlockDir;
import dev.ubm.core.ChallengeDataDir;
import dev.ubm.data.Npy;
import dev.ubm.data.TestWorlds;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AblateCommandTest {
    @TempDir
    Path tmp;

    private static Path noise(ChallengeDataDir data, Path dir, int dims, long seed) {
        long[] ids = Npy.readLongs(data.relevantClientsFile());
        Random r = new Random(seed);
        float[] x = new float[ids.length * dims];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        BlockDir b = new BlockDir(dir);
        b.createDirs();
        Npy.writeLongs(b.clientIdsFile(), ids);
        Npy.writeFloat32(b.embeddingsFile(), x, ids.length, dims);
        b.writeMeta(BlockDir.Meta.of("test", dims, ids.length, "float32", java.util.Map.of(), 0, "test", 0));
        return dir;
    }

    @Test
    void ablatesThreeBlocksWithTheSubmissionScaling() throws Exception {
        ChallengeDataDir world = TestWorlds.shared(23);
        Path feat = tmp.resolve("features");
        assertEquals(0, CliRunner.run("features", "--data-dir", world.root().toString(), "--embeddings-dir",
                feat.toString(), "--quiet").code());
        Path s = tmp.resolve("scores");
        CliRunner.Result r = CliRunner.run("ablate", "--data-dir", world.root().toString(), "--blocks",
                "features=" + feat, "a=" + noise(world, tmp.resolve("a"), 4, 1), "b=" + noise(world, tmp.resolve("b"),
                        3, 2), "--probe", "linear", "--tasks", "churn", "conversion", "--score-dir", s.toString(),
                "--quiet");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("ablate: 7 variants x 2 tasks"), r.out());
        List<String> csv = Files.readAllLines(s.resolve("ablation.csv"));
        assertEquals("variant,kind,blocks,dims,task,repeat,auroc,score,best_epoch,seconds", csv.get(0));
        assertTrue(csv.stream().anyMatch(l -> l.startsWith("without features,without,a+b,7,conversion,0,")),
                String.join("\n", csv));
        String md = Files.readString(s.resolve("ablation.md"));
        assertTrue(md.contains("| features alone |") && md.contains("| without b |"), md);
        assertTrue(Files.isRegularFile(s.resolve("ablation.png")));
        assertFalse(Files.exists(s.resolve(AblateCommand.WORK)), "work dir removed");
    }

    @Test
    void compareProbesEachBlockAlonePairedAgainstTheFirst() throws Exception {
        ChallengeDataDir world = TestWorlds.shared(23);
        Path s = tmp.resolve("scores");
        CliRunner.Result r = CliRunner.run("ablate", "--compare", "--data-dir", world.root().toString(), "--blocks",
                "a=" + noise(world, tmp.resolve("a"), 4, 1), "b=" + noise(world, tmp.resolve("b"), 3, 2),
                "c=" + noise(world, tmp.resolve("c"), 2, 3), "--probe", "linear", "--tasks", "churn", "--repeats",
                "2", "--score-dir", s.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("ablate: 3 variants x 1 tasks"), r.out());
        String md = Files.readString(s.resolve("ablation.md"));
        assertTrue(md.contains("## Against a alone") && md.contains("| b alone | ") && md.contains("(t "), md);
        assertFalse(md.contains("| all |") || md.contains("without"), md);
        CliRunner.Result one = CliRunner.run("ablate", "--compare", "--data-dir", world.root().toString(),
                "--blocks", "a=" + tmp.resolve("a"), "--score-dir", tmp.resolve("s1").toString(), "--quiet");
        assertEquals(2, one.code(), one.err());
        assertTrue(one.err().contains("--compare needs at least two --blocks"), one.err());
    }

    @Test
    void badBlocksAreBadInput() throws Exception {
        ChallengeDataDir world = TestWorlds.shared(23);
        CliRunner.Result r = CliRunner.run("ablate", "--data-dir", world.root().toString(), "--blocks", "x",
                "y=" + tmp.resolve("missing"), "--score-dir", tmp.resolve("s").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--blocks takes NAME=DIR, got 'x'"), r.err());
        assertTrue(r.err().contains("block y: "), r.err());
    }
}
