package dev.ubm.gnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * Checks the chunk gradients against finite differences of the loss written out pair by pair, for the plain-Java
 * kernels and the Vector API kernels (surefire runs this module with {@code --add-modules jdk.incubator.vector}).
 */
class TwhinWorkerTest {
    @Test
    void gradientsMatchFiniteDifferencesOfTheLoss() {
        checkGradients(4, false);
        checkGradients(19, false);
    }

    @Test
    void vectorKernelGradientsMatchFiniteDifferencesOfTheLoss() {
        assumeTrue(TwhinWorker.VECTOR_API, "needs --add-modules jdk.incubator.vector");
        int l = VectorKernels.lanes();
        checkGradients(4 * l, true); // the register-blocked paths
        checkGradients(5 * l + 3, true); // plus the one-vector and scalar tails
        checkGradients(3, true); // scalar tails only
    }

    @Test
    void anyNumberOfNegativesGetsTheRightGradients() {
        // 1: no source side; 3: one uniform target, no uniform source; 40: two vectors of negatives per side
        for (int negatives : new int[] {1, 3, 40}) {
            checkGradients(5, negatives, false);
            if (TwhinWorker.VECTOR_API) {
                checkGradients(VectorKernels.lanes() + 1, negatives, true);
            }
        }
    }

    @Test
    void bothKernelsComputeTheSameGradients() {
        assumeTrue(TwhinWorker.VECTOR_API, "needs --add-modules jdk.incubator.vector");
        int d = 4 * VectorKernels.lanes();
        for (int chunk : new int[] {7, 8}) { // odd chunks exercise the one-row tails of the blocked kernels
            TwhinWorker a = chunk(d, chunk, 6, false);
            TwhinWorker b = chunk(d, chunk, 6, true);
            float[][][] ga = {a.gu, a.gt, a.gnt, a.gns};
            float[][][] gb = {b.gu, b.gt, b.gnt, b.gns};
            for (int x = 0; x < 4; x++) {
                for (int i = 0; i < ga[x].length; i++) {
                    for (int k = 0; k < d; k++) {
                        assertEquals(ga[x][i][k], gb[x][i][k], 1e-5 + 1e-4 * Math.abs(ga[x][i][k]));
                    }
                }
            }
            assertEquals(a.lossSum, b.lossSum, 1e-4 * Math.abs(a.lossSum));
        }
    }

    /** A worker that has computed the gradients of one chunk of a small graph with random rows. */
    private static TwhinWorker chunk(int dim, int chunk, int negatives, boolean vector) {
        // a small graph so that in-batch and uniform negatives sometimes hit the positive's own node (masked)
        Graph g = TestGraphs.communities(4, 3, 3, 1);
        TwhinConfig cfg = new TwhinConfig(dim, 1, negatives, chunk, 0.05, 1, 3, 1.0, TwhinConfig.WeightTransform.LOG1P,
                Map.of(), TwhinConfig.Storage.HEAP);
        FloatTable table = FloatTable.heap(g.totalNodes(), dim);
        Rng init = new Rng(11);
        float[] row = new float[dim];
        double scale = Math.min(1, 2 / Math.sqrt(dim)); // keeps scores in the sigmoid's live range
        for (int n = 0; n < g.totalNodes(); n++) {
            for (int k = 0; k < dim; k++) {
                row[k] = (float) (scale * init.nextGaussian());
            }
            table.write(n, row, 0);
        }
        float[] rel = new float[Relation.values().length * dim];
        for (int k = 0; k < dim; k++) {
            rel[Relation.BUY.ordinal() * dim + k] = (float) (scale * (0.3 * (k % 5) - 0.4));
        }
        EdgeList l = g.edges(Relation.BUY);
        double[] share = new double[Relation.values().length];
        share[Relation.BUY.ordinal()] = 1;
        long[][] edges = new long[Relation.values().length][];
        edges[Relation.BUY.ordinal()] = new AliasSampler(l.size(), i -> 1.0).withPayload(TwhinTrainer.pack(l));
        TwhinWorker w = new TwhinWorker(cfg, g, table, new float[g.totalNodes()], rel, new float[7], edges,
                new AliasSampler(share), new Rng(5), vector);
        w.gradientsOfChunk(Relation.BUY, true);
        return w;
    }

    private static void checkGradients(int dim, boolean vector) {
        TwhinWorker w = checkGradients(dim, 6, vector);
        assertEquals(3, w.nT);
        assertEquals(2, w.inT);
        int masked = 0;
        for (int i = 0; i < 8; i++) {
            for (int j = 0; j < w.nT; j++) {
                masked += w.negTNode[j] == w.tNode[i] && i != j ? 1 : 0;
            }
        }
        assertTrue(masked > 0, "the test chunk should mask a negative that is another edge's own target");
    }

    private static TwhinWorker checkGradients(int dim, int negatives, boolean vector) {
        TwhinWorker w = chunk(dim, Math.max(8, negatives), negatives, vector);
        assertEquals(loss(w), w.lossSum, 1e-4 * Math.abs(loss(w)), "the worker's loss");
        double h = 1e-3;
        // uniform negatives: qt[q] is target-side negative inT + q, qs[q] source-side negative inS + q
        float[][] gqt = java.util.Arrays.copyOfRange(w.gnt, w.inT, w.nT);
        float[][] gqs = java.util.Arrays.copyOfRange(w.gns, w.inS, w.nS);
        float[][][] rows = {w.u, w.t, w.qt, w.qs};
        float[][][] grads = {w.gu, w.gt, gqt, gqs};
        String[] names = {"u", "t", "qt", "qs"};
        for (int a = 0; a < 4; a++) {
            for (int i = 0; i < rows[a].length; i++) {
                for (int k = 0; k < dim; k++) {
                    float keep = rows[a][i][k];
                    rows[a][i][k] = (float) (keep + h);
                    double up = loss(w);
                    rows[a][i][k] = (float) (keep - h);
                    double down = loss(w);
                    rows[a][i][k] = keep;
                    double numeric = (up - down) / (2 * h);
                    assertEquals(numeric, grads[a][i][k], 5e-3 + 5e-3 * Math.abs(numeric),
                            "d loss / d " + names[a] + "[" + i + "][" + k + "] (dim " + dim + ", vector " + vector + ")");
                }
            }
        }
        return w;
    }

    /**
     * The chunk loss, pair by pair: label 1 for each edge, label 0 (weight 1/negatives) for each of the chunk's
     * shared negatives that is not the positive's own node. Target-side negative j is the target of edge j for
     * j &lt; inT, else uniform row qt[j − inT]; likewise on the source side.
     */
    private static double loss(TwhinWorker w) {
        TwhinConfig cfg = w.config();
        int c = cfg.chunk();
        double wn = 1.0 / cfg.negatives();
        double l = 0;
        for (int i = 0; i < c; i++) {
            l += softplus(-dot(w.u[i], w.t[i]));
            for (int j = 0; j < w.nT; j++) {
                float[] neg = j < w.inT ? w.t[j] : w.qt[j - w.inT];
                if (w.negTNode[j] != w.tNode[i]) {
                    l += wn * softplus(dot(w.u[i], neg));
                }
            }
            for (int j = 0; j < w.nS; j++) {
                float[] neg = j < w.inS ? w.u[j] : w.qs[j - w.inS];
                if (w.negSNode[j] != w.sNode[i]) {
                    l += wn * softplus(dot(neg, w.t[i]));
                }
            }
        }
        return l;
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int k = 0; k < a.length; k++) {
            s += (double) a[k] * b[k];
        }
        return s;
    }

    private static double softplus(double x) {
        return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
    }
}
