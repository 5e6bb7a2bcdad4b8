package dev.ubm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ubm.core.BlockDir;
import dev.ubm.data.Npy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CombineCommandTest {
    @TempDir
    static Path tmp;
    static Path data;

    @BeforeAll
    static void blocks() throws Exception {
        data = tmp.resolve("data");
        Files.createDirectories(data.resolve("input"));
        long[] ids = new long[20];
        for (int i = 0; i < 20; i++) {
            ids[i] = 100 + i;
        }
        Npy.writeLongs(data.resolve("input/relevant_clients.npy"), ids);
        block(tmp.resolve("feat"), "features", ids, 30, 1);
        block(tmp.resolve("seq"), "seq", java.util.Arrays.copyOf(ids, 18), 16, 2);
    }

    static void block(Path dir, String component, long[] ids, int cols, long seed) {
        Random r = new Random(seed);
        float[] x = new float[ids.length * cols];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.abs(r.nextGaussian() * 10);
        }
        BlockDir b = new BlockDir(dir);
        b.createDirs();
        Npy.writeLongs(b.clientIdsFile(), ids);
        Npy.writeFloat32(b.embeddingsFile(), x, ids.length, cols);
        b.writeMeta(BlockDir.Meta.of(component, cols, ids.length, "float32", Map.of(), 0, "t", 0));
    }

    @Test
    void combinesBlocksIntoAValidSubmission() {
        Path out = tmp.resolve("sub");
        CliRunner.Result r = CliRunner.run("combine", "--blocks", tmp.resolve("feat").toString(),
                tmp.resolve("seq").toString(), "--embeddings-dir", out.toString(), "--data-dir", data.toString(),
                "--weights", "1", "0.5", "--scaling", "seq=standard", "--pca", "feat=8", "--seed", "3", "--quiet");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("combined 2 blocks: 20 clients x 24 dims float16"), r.out());
        assertTrue(r.out().contains("2 missing clients imputed"), r.out());
        CliRunner.Result v = CliRunner.run("validate", "--data-dir", data.toString(), "--embeddings-dir", out.toString());
        assertEquals(0, v.code(), v.err());
    }

    @Test
    void tooManyDimsUnknownBlockNamesAndBadWeightsAreBadInput() {
        CliRunner.Result r = CliRunner.run("combine", "--blocks", tmp.resolve("feat").toString(), "--embeddings-dir",
                tmp.resolve("x").toString(), "--max-dims", "10", "--quiet");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("more than --max-dims 10"), r.err());
        r = CliRunner.run("combine", "--blocks", tmp.resolve("feat").toString(), "--embeddings-dir", tmp.resolve("x").toString(),
                "--scaling", "nope=l2");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("no block named 'nope'"), r.err());
        r = CliRunner.run("combine", "--blocks", tmp.resolve("feat").toString(), "--embeddings-dir", tmp.resolve("x").toString(),
                "--weights", "1", "2");
        assertEquals(2, r.code());
    }
}
