package dev.ubm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ubm.core.Json;
import dev.ubm.data.Npy;
import dev.ubm.data.TestWorlds;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProbeCommandTest {
    @TempDir
    static Path shared;
    static Path world;
    static Path emb;

    @BeforeAll
    static void world() {
        world = TestWorlds.shared(5).root();
        emb = shared.resolve("emb");
        long[] ids = Npy.readLongs(world.resolve("input/relevant_clients.npy"));
        Random r = new Random(4);
        float[] x = new float[ids.length * 6];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        Npy.writeLongs(emb.resolve("client_ids.npy"), ids);
        Npy.writeFloat16(emb.resolve("embeddings.npy"), x, ids.length, 6);
        meta(emb, 6, ids.length);
    }

    @Test
    void probeWritesScoresEpochsAndReport(@TempDir Path tmp) throws Exception {
        Path scores = tmp.resolve("scores");
        CliRunner.Result r = CliRunner.run("probe", "--data-dir", world.toString(), "--embeddings-dir",
                emb.toString(), "--score-dir", scores.toString(), "--tasks", "churn", "propensity_category",
                "--probe", "linear", "--no-baseline", "--quiet");
        assertEquals(0, r.code(), r.err() + r.out());
        assertTrue(r.out().contains("churn"), r.out());
        Map<String, Object> s = Json.parseObject(Files.readString(scores.resolve("scores.json")));
        assertEquals(2, s.size());
        assertTrue(s.containsKey("propensity_category"));
        for (String f : new String[] {"epochs.json", "metrics.json", "report.md", "report.png", "run.json"}) {
            assertTrue(Files.isRegularFile(scores.resolve(f)), f);
        }
    }

    @Test
    void badEmbeddingsExitWithCodeTwoAndNameTheRow(@TempDir Path tmp) throws Exception {
        Path bad = Files.createDirectories(tmp.resolve("bad"));
        long[] ids = Npy.readLongs(emb.resolve("client_ids.npy"));
        Npy.writeLongs(bad.resolve("client_ids.npy"), ids);
        Npy.writeFloat32(bad.resolve("embeddings.npy"), new float[ids.length * 2], ids.length, 2);
        meta(bad, 2, ids.length);
        // patch a NaN into row 7, column 1 (Npy's writer refuses to write one)
        Path f = bad.resolve("embeddings.npy");
        byte[] bytes = Files.readAllBytes(f);
        int at = (int) Npy.header(f).dataOffset() + 4 * (7 * 2 + 1);
        int bits = Float.floatToIntBits(Float.NaN);
        for (int i = 0; i < 4; i++) {
            bytes[at + i] = (byte) (bits >>> (8 * i));
        }
        Files.write(f, bytes);
        CliRunner.Result r = CliRunner.run("probe", "--data-dir", world.toString(), "--embeddings-dir",
                bad.toString(), "--score-dir", tmp.resolve("s").toString(), "--probe", "fast", "--quiet");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().startsWith("[ERROR]"), r.err());
        assertTrue(r.err().contains("embeddings.npy") && r.err().contains("row 7 (client " + ids[7] + "), column 1"),
                r.err());
        assertFalse(r.err().contains("\tat "), r.err());
        assertFalse(Files.exists(tmp.resolve("s/scores.json")));
    }

    @Test
    void unknownProbeOrTaskIsBadInput(@TempDir Path tmp) {
        String[] base = {"probe", "--data-dir", world.toString(), "--embeddings-dir", emb.toString(), "--score-dir",
            tmp.toString(), "--quiet"};
        CliRunner.Result r = CliRunner.run(concat(base, "--probe", "mlp"));
        assertEquals(2, r.code());
        assertTrue(r.err().contains("unknown probe 'mlp'"), r.err());
        r = CliRunner.run(concat(base, "--tasks", "churny"));
        assertEquals(2, r.code());
        assertTrue(r.err().contains("unknown task 'churny'"), r.err());
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static void meta(Path dir, int dims, int rows) {
        new dev.ubm.core.BlockDir(dir).writeMeta(dev.ubm.core.BlockDir.Meta.of("test", dims, rows, "float16",
                Map.of(), 0, "test", 0));
    }
}
