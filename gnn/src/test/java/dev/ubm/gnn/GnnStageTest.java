package dev.ubm.gnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ubm.core.BadInputException;
import dev.ubm.core.BlockDir;
import dev.ubm.core.ChallengeDataDir;
import dev.ubm.core.Progress;
import dev.ubm.core.StageListener;
import dev.ubm.core.Task;
import dev.ubm.data.Npy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GnnStageTest {
    @TempDir
    static Path tmp;
    static ChallengeDataDir world;

    @BeforeAll
    static void writeWorld() throws Exception {
        Progress.setEnabled(false);
        world = TinyWorld.threeClients().relevant(3, 1, 99, 2).write(tmp.resolve("world"));
    }

    private static GnnStage.Config cfg(GnnStage.Method method) {
        return new GnnStage.Config(method, GraphConfig.defaults(),
                TwhinConfig.defaults(1, 5).withDim(8).withEpochs(3), new SvdBaseline.Config(4, 4, 2, 5, 1), true,
                false);
    }

    @Test
    void twhinBlockHasARowForEveryRelevantClientAndAnIndicator() {
        Path out = tmp.resolve("twhin");
        GnnStage.Result r = GnnStage.run(world, cfg(GnnStage.Method.TWHIN), out, StageListener.NONE);
        BlockDir b = new BlockDir(out);
        assertTrue(b.isComplete());
        assertArrayEquals(new long[] {3, 1, 99, 2}, Npy.readLongs(b.clientIdsFile()));
        Npy.FloatMatrix e = Npy.readFloats(b.embeddingsFile());
        assertEquals(4, e.rows());
        assertEquals(9, e.cols());
        assertEquals(1, r.clientsWithoutEdges());
        assertEquals(1f, e.get(2, 8)); // client 99 has no events
        assertEquals(0f, e.get(0, 8));
        for (int k = 0; k < 8; k++) { // its row is the mean of the others
            double mean = (e.get(0, k) + e.get(1, k) + e.get(3, k)) / 3;
            assertEquals(mean, e.get(2, k), 1e-6);
        }
        BlockDir.Meta m = b.readMeta();
        assertEquals("gnn-twhin", m.component());
        assertEquals(9, m.dims());
        assertEquals(5, m.seed());
        assertFalse(m.inputFingerprint().isBlank());
        assertEquals("twhin", m.config().get("method"));
        assertFalse(Files.exists(out.resolve(GnnStage.CHECKPOINT_DIR)), "checkpoint removed after success");
    }

    @Test
    void targetWalkColumnsFollowTheSkuListWhenAskedAndAreOffByDefault() throws Exception {
        ChallengeDataDir w = TinyWorld.threeClients().relevant(3, 1, 99, 2).write(tmp.resolve("world-lists"));
        Files.createDirectories(w.targetListFile(Task.PROPENSITY_SKU).getParent());
        // sku 10 is held by client 1, who also holds 11; sku 13 has no events; 777 is not in the catalogue
        Npy.writeLongs(w.targetListFile(Task.PROPENSITY_SKU), new long[] {10, 13, 777});
        GnnStage.Config c = cfg(GnnStage.Method.TWHIN);
        GnnStage.Config on = new GnnStage.Config(c.method(), c.graph(), c.twhin(), c.svd(), true, false, true);
        Path out = tmp.resolve("walks");
        GnnStage.run(w, on, out, StageListener.NONE);
        Npy.FloatMatrix e = Npy.readFloats(new BlockDir(out).embeddingsFile());
        assertEquals(8 + 1 + 2 * 3, e.cols(), "walks through skus, then through urls, per listed sku");
        assertTrue(e.get(3, 9) > 0, "client 2 holds sku 11, whose other holder (client 1) holds sku 10");
        assertEquals(0f, e.get(0, 9), "client 3 holds only sku 12, which nobody holds with sku 10");
        for (int i = 0; i < 4; i++) {
            for (int via = 0; via < 2; via++) {
                assertEquals(0f, e.get(i, 10 + 3 * via), "sku 13 is not in the graph");
                assertEquals(0f, e.get(i, 11 + 3 * via), "sku 777 is not in the graph");
            }
        }
        assertTrue(String.valueOf(new BlockDir(out).readMeta().config().get("columns"))
                .contains("target walks via urls to propensity_sku.npy[0..2]"));
        Path plain = tmp.resolve("no-walks");
        GnnStage.run(w, c, plain, StageListener.NONE); // off by default
        assertEquals(9, new BlockDir(plain).readMeta().dims());
        assertEquals(false, new BlockDir(plain).readMeta().config().get("target_walks"));
    }

    @Test
    void walksMethodWritesTheIndicatorAndTheWalksOfTheTwhinBlockWithoutAnEmbedding() throws Exception {
        ChallengeDataDir w = TinyWorld.threeClients().relevant(3, 1, 99, 2).write(tmp.resolve("world-walks"));
        Path walksOut = tmp.resolve("walks-only");
        assertThrows(BadInputException.class, () -> GnnStage.run(w, cfg(GnnStage.Method.WALKS), walksOut,
                StageListener.NONE), "no sku list: nothing to walk to");
        assertFalse(Files.exists(walksOut), "refused before anything is built or written");
        Files.createDirectories(w.targetListFile(Task.PROPENSITY_SKU).getParent());
        Npy.writeLongs(w.targetListFile(Task.PROPENSITY_SKU), new long[] {10, 13, 777});
        GnnStage.run(w, cfg(GnnStage.Method.WALKS), walksOut, StageListener.NONE);
        GnnStage.Config c = cfg(GnnStage.Method.TWHIN);
        Path withEmbedding = tmp.resolve("twhin-walks");
        GnnStage.run(w, new GnnStage.Config(c.method(), c.graph(), c.twhin(), c.svd(), true, false, true),
                withEmbedding, StageListener.NONE);
        BlockDir.Meta meta = new BlockDir(walksOut).readMeta();
        assertEquals("gnn-walks", meta.component());
        assertEquals(1 + 2 * 3, meta.dims(), "indicator, then walks through skus and urls per listed sku");
        Npy.FloatMatrix a = Npy.readFloats(new BlockDir(walksOut).embeddingsFile());
        Npy.FloatMatrix b = Npy.readFloats(new BlockDir(withEmbedding).embeddingsFile());
        for (int i = 0; i < a.rows(); i++) {
            for (int j = 0; j < a.cols(); j++) {
                assertEquals(b.get(i, 8 + j), a.get(i, j), "row " + i + " column " + j);
            }
        }
        assertTrue(a.get(3, 1) > 0, "client 2 walks to sku 10");
    }

    @Test
    void svdBlockIsDeterministicAndZeroForClientsWithoutEdges() {
        Path a = tmp.resolve("svd-a");
        Path b = tmp.resolve("svd-b");
        GnnStage.run(world, cfg(GnnStage.Method.SVD), a, StageListener.NONE);
        GnnStage.run(world, cfg(GnnStage.Method.SVD), b, StageListener.NONE);
        Npy.FloatMatrix ea = Npy.readFloats(new BlockDir(a).embeddingsFile());
        Npy.FloatMatrix eb = Npy.readFloats(new BlockDir(b).embeddingsFile());
        assertArrayEquals(ea.data(), eb.data());
        assertEquals(3 * 4 + 1, ea.cols()); // sku, category and url matrices, rank 4 each, plus the indicator
        for (int k = 0; k < 12; k++) {
            assertEquals(0f, ea.get(2, k));
        }
        assertEquals(1f, ea.get(2, 12));
        BlockDir.Meta m = new BlockDir(a).readMeta();
        assertEquals("gnn-svd", m.component());
        @SuppressWarnings("unchecked")
        Map<String, Object> stats = (Map<String, Object>) m.config().get("stats");
        assertEquals(1L, ((Number) stats.get("clients_without_edges")).longValue());
    }

    @Test
    void aRerunThatFailsMidwayLeavesThePreviousBlockWhole() throws Exception {
        Path out = tmp.resolve("rerun");
        GnnStage.run(world, cfg(GnnStage.Method.SVD), out, StageListener.NONE);
        BlockDir b = new BlockDir(out);
        byte[] before = Files.readAllBytes(b.embeddingsFile());
        String createdAt = b.readMeta().createdAt();
        RuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
                () -> GnnStage.run(world, cfg(GnnStage.Method.TWHIN), out, line -> {
                    if (line.contains("have no edge")) {
                        throw new IllegalStateException("killed after the graph was built");
                    }
                }));
        assertTrue(e.getMessage().contains("killed"), e.getMessage());
        assertTrue(b.isComplete(), "block.json is still there");
        assertArrayEquals(before, Files.readAllBytes(b.embeddingsFile()));
        assertEquals(createdAt, b.readMeta().createdAt());
        assertEquals("gnn-svd", b.readMeta().component());
        try (java.util.stream.Stream<Path> s = Files.list(tmp)) {
            assertFalse(s.anyMatch(p -> p.getFileName().toString().contains("rerun.partial")));
        }
    }
}
