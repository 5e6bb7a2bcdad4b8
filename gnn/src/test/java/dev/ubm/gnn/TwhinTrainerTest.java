package dev.ubm.gnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ubm.core.Progress;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TwhinTrainerTest {
    @TempDir
    Path tmp;

    @BeforeAll
    static void quiet() {
        Progress.setEnabled(false);
    }

    private static TwhinConfig cfg(int epochs) {
        return TwhinConfig.defaults(1, 7).withDim(16).withEpochs(epochs);
    }

    private static float[] all(TwhinModel m) {
        int n = m.graph().totalNodes();
        float[] out = new float[n * m.dim()];
        for (int i = 0; i < n; i++) {
            m.table().read(i, out, i * m.dim());
        }
        return out;
    }

    @Test
    void lossGoesDown() {
        Graph g = TestGraphs.communities(100, 20, 8, 1);
        try (TwhinModel m = new TwhinTrainer(cfg(6), null).train(g)) {
            List<Double> l = m.epochLosses();
            assertEquals(6, l.size());
            assertTrue(l.get(5) < 0.8 * l.get(0), "losses " + l);
        }
    }

    @Test
    void chunkedEpochsLowerTheLossOnAPlantedGraphForEveryChunkSize() {
        Graph g = TestGraphs.communities(100, 20, 8, 5);
        for (int chunk : new int[] {4, 33, 200}) {
            try (TwhinModel m = new TwhinTrainer(cfg(6).withChunk(chunk), null).train(g)) {
                List<Double> l = m.epochLosses();
                assertTrue(l.get(5) < 0.8 * l.get(0), "chunk " + chunk + ": losses " + l);
            }
        }
    }

    @Test
    void chunkIsValidated() {
        TwhinConfig ok = cfg(1);
        assertEquals(TwhinConfig.DEFAULT_CHUNK, ok.chunk());
        assertEquals(4, ok.withChunk(4).chunk());
        assertEquals(TwhinConfig.MAX_CHUNK, ok.withChunk(TwhinConfig.MAX_CHUNK).chunk());
        // 10 negatives: 3 in-batch targets per chunk, so a chunk needs at least 4 edges
        for (int bad : new int[] {-1, 0, 1, 3, TwhinConfig.MAX_CHUNK + 1}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ok.withChunk(bad));
            assertTrue(e.getMessage().contains("chunk"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> ok.withNegatives(TwhinConfig.MAX_NEGATIVES + 1));
    }

    @Test
    void negativesGetLabelZero() {
        // With the reference code's bug (label 1 for negatives) every score is pushed up and non-edges score high.
        Graph g = TestGraphs.communities(100, 20, 8, 2);
        try (TwhinModel m = new TwhinTrainer(cfg(8), null).train(g)) {
            double cross = 0;
            double own = 0;
            int n = 0;
            for (int c = 0; c < 200; c++) {
                int side = c < 100 ? 0 : 1;
                for (int i = 0; i < 20; i++) {
                    own += m.score(Relation.BUY, c, side * 20 + i);
                    cross += m.score(Relation.BUY, c, (1 - side) * 20 + i);
                    n++;
                }
            }
            own /= n;
            cross /= n;
            assertTrue(cross < 0, "mean score of never-seen pairs should be negative (sigmoid < 0.5), was " + cross);
            assertTrue(own > cross + 1, "own-community score " + own + " vs other " + cross);
        }
    }

    @Test
    void clientsWhoBoughtTheSameItemsAreCloserThanClientsWhoShareNothing() {
        Graph g = TestGraphs.communities(50, 15, 6, 3);
        try (TwhinModel m = new TwhinTrainer(cfg(10), null).train(g)) {
            double same = 0;
            double other = 0;
            int n = 0;
            for (int a = 0; a < 20; a++) {
                same += cos(m.vector(NodeType.CLIENT, a), m.vector(NodeType.CLIENT, a + 20));
                other += cos(m.vector(NodeType.CLIENT, a), m.vector(NodeType.CLIENT, a + 50));
                n++;
            }
            assertTrue(same / n > other / n + 0.3, "same community " + same / n + ", different " + other / n);
        }
    }

    @Test
    void twoBuyersOfTheSameItemsEndUpCloserThanAStranger() {
        // clients 0 and 1 bought items 0..2, client 2 bought items 3..5; 40 background clients give the items context
        int bg = 40;
        int clients = 3 + bg;
        int[] src = new int[9 + bg * 3];
        int[] dst = new int[src.length];
        float[] w = new float[src.length];
        int k = 0;
        for (int i = 0; i < 3; i++) {
            src[k] = 0;
            dst[k++] = i;
            src[k] = 1;
            dst[k++] = i;
        }
        Rng rng = new Rng(5);
        for (int c = 0; c < bg; c++) {
            int side = c % 2;
            for (int e = 0; e < 3; e++) {
                src[k] = 3 + c;
                dst[k++] = side * 3 + rng.nextInt(3);
            }
        }
        for (int i = 0; i < 3; i++) {
            src[k] = 2;
            dst[k++] = 3 + i;
        }
        java.util.Arrays.fill(w, 1f);
        Graph g = TestGraphs.graph(clients, 6, Map.of(Relation.BUY, new EdgeList(src, dst, w)));
        try (TwhinModel m = new TwhinTrainer(cfg(30), null).train(g)) {
            float[] a = m.vector(NodeType.CLIENT, 0);
            float[] b = m.vector(NodeType.CLIENT, 1);
            float[] c = m.vector(NodeType.CLIENT, 2);
            assertTrue(cos(a, b) > cos(a, c), "cos(a,b) " + cos(a, b) + " cos(a,c) " + cos(a, c));
            assertTrue(dist(a, b) < dist(a, c), "dist(a,b) " + dist(a, b) + " dist(a,c) " + dist(a, c));
        }
    }

    @Test
    void oneThreadIsReproducible() {
        Graph g = TestGraphs.communities(30, 10, 5, 4);
        try (TwhinModel a = new TwhinTrainer(cfg(2), null).train(g);
                TwhinModel b = new TwhinTrainer(cfg(2), null).train(g)) {
            assertArrayEquals(all(a), all(b));
            assertEquals(a.epochLosses(), b.epochLosses());
        }
    }

    @Test
    void twoThreadsTrainToo() {
        Graph g = TestGraphs.communities(100, 20, 8, 1);
        try (TwhinModel m = new TwhinTrainer(cfg(6).withThreads(2), null).train(g)) {
            List<Double> l = m.epochLosses();
            assertTrue(l.get(5) < 0.8 * l.get(0), "losses " + l);
        }
    }

    @Test
    void resumeAfterAKillGivesTheUninterruptedResult() {
        Graph g = TestGraphs.communities(30, 10, 5, 6);
        Path ckpt = tmp.resolve("ckpt");
        TwhinConfig c = cfg(4);
        RuntimeException kill = new RuntimeException("killed");
        assertThrows(RuntimeException.class, () -> new TwhinTrainer(c, null).train(g, ckpt, (epoch, loss) -> {
            if (epoch == 1) {
                throw kill;
            }
        }));
        assertTrue(Files.isRegularFile(ckpt.resolve("epoch-0002/state.json")));
        int[] epochsRun = {0};
        try (TwhinModel resumed = new TwhinTrainer(c, null).train(g, ckpt, (e, l) -> epochsRun[0]++);
                TwhinModel straight = new TwhinTrainer(c, null).train(g)) {
            assertEquals(2, epochsRun[0], "only the two missing epochs run");
            assertArrayEquals(all(straight), all(resumed));
            assertEquals(straight.epochLosses(), resumed.epochLosses());
        }
    }

    @Test
    void aCheckpointOfAnotherConfigIsNotResumed() {
        Graph g = TestGraphs.communities(30, 10, 5, 6);
        Path ckpt = tmp.resolve("ckpt2");
        new TwhinTrainer(cfg(1), null).train(g, ckpt, null).close();
        int[] epochsRun = {0};
        try (TwhinModel m = new TwhinTrainer(cfg(1).withLearningRate(0.01), null).train(g, ckpt,
                (e, l) -> epochsRun[0]++)) {
            assertEquals(1, epochsRun[0]);
        }
    }

    @Test
    void memoryMappedTableTrainsLikeTheHeapTable() {
        Graph g = TestGraphs.communities(30, 10, 5, 8);
        try (TwhinModel heap = new TwhinTrainer(cfg(2), null).train(g);
                TwhinModel mapped = new TwhinTrainer(cfg(2).withStorage(TwhinConfig.Storage.MMAP), null).train(g,
                        tmp.resolve("mm"), null)) {
            assertTrue(mapped.table().isMapped());
            assertArrayEquals(all(heap), all(mapped));
        }
    }

    static double cos(float[] a, float[] b) {
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += a[i] * b[i];
            aa += a[i] * a[i];
            bb += b[i] * b[i];
        }
        return ab / Math.sqrt(aa * bb + 1e-30);
    }

    static double dist(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return Math.sqrt(s);
    }
}
