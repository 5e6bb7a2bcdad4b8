package dev.ubm.gnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * Checks the batch gradients against finite differences of the loss written out pair by pair, for the plain-Java
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
    void bothKernelsComputeTheSameGradients() {
        assumeTrue(TwhinWorker.VECTOR_API, "needs --add-modules jdk.incubator.vector");
        int d = 4 * VectorKernels.lanes();
        TwhinWorker a = batch(d, false);
        TwhinWorker b = batch(d, true);
        float[][][] ga = {a.gu, a.gt, a.gut, a.gus};
        float[][][] gb = {b.gu, b.gt, b.gut, b.gus};
        for (int x = 0; x < 4; x++) {
            for (int i = 0; i < ga[x].length; i++) {
                for (int k = 0; k < d; k++) {
                    assertEquals(ga[x][i][k], gb[x][i][k], 1e-5 + 1e-4 * Math.abs(ga[x][i][k]));
                }
            }
        }
    }

    /** A worker that has computed the gradients of one batch of a small graph with random rows. */
    private static TwhinWorker batch(int dim, boolean vector) {
        // a small graph so that in-batch and uniform negatives sometimes hit the positive's own node (masked)
        Graph g = TestGraphs.communities(4, 3, 3, 1);
        TwhinConfig cfg = new TwhinConfig(dim, 1, 6, 8, 0.05, 1, 3, 1.0, TwhinConfig.WeightTransform.LOG1P, Map.of(),
                TwhinConfig.Storage.HEAP);
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
        AliasSampler[] samplers = new AliasSampler[Relation.values().length];
        samplers[Relation.BUY.ordinal()] = new AliasSampler(l.size(), i -> 1.0);
        double[] share = new double[Relation.values().length];
        share[Relation.BUY.ordinal()] = 1;
        long[][] ends = new long[Relation.values().length][];
        ends[Relation.BUY.ordinal()] = TwhinTrainer.pack(l);
        TwhinWorker w = new TwhinWorker(cfg, g, table, new float[g.totalNodes()], rel, new float[7], samplers, ends,
                new AliasSampler(share), new Rng(5), vector);
        w.gradientsOfBatch(Relation.BUY, true);
        return w;
    }

    private static void checkGradients(int dim, boolean vector) {
        TwhinWorker w = batch(dim, vector);
        TwhinConfig cfg = w.config();

        int masked = 0;
        for (int i = 0; i < 8; i++) {
            masked += w.tNode[(i + 1) % 8] == w.tNode[i] ? 1 : 0;
        }
        assertTrue(masked > 0, "the test batch should contain a masked in-batch negative");
        double h = 1e-3;
        float[][][] rows = {w.u, w.t, w.ut, w.us};
        float[][][] grads = {w.gu, w.gt, w.gut, w.gus};
        String[] names = {"u", "t", "ut", "us"};
        for (int a = 0; a < 4; a++) {
            for (int i = 0; i < rows[a].length; i++) {
                for (int k = 0; k < dim; k++) {
                    float keep = rows[a][i][k];
                    rows[a][i][k] = (float) (keep + h);
                    double up = loss(w, cfg);
                    rows[a][i][k] = (float) (keep - h);
                    double down = loss(w, cfg);
                    rows[a][i][k] = keep;
                    double numeric = (up - down) / (2 * h);
                    assertEquals(numeric, grads[a][i][k], 5e-3 + 5e-3 * Math.abs(numeric),
                            "d loss / d " + names[a] + "[" + i + "][" + k + "] (dim " + dim + ", vector " + vector + ")");
                }
            }
        }
    }

    /** The batch loss, pair by pair: label 1 for the edge, 0 for every unmasked negative (weight 1/negatives). */
    private static double loss(TwhinWorker w, TwhinConfig cfg) {
        int c = cfg.batchSize();
        int inT = TwhinConfig.inBatch(cfg.targetNegatives());
        int inS = TwhinConfig.inBatch(cfg.sourceNegatives());
        double wn = 1.0 / cfg.negatives();
        double l = 0;
        for (int i = 0; i < c; i++) {
            l += softplus(-dot(w.u[i], w.t[i]));
            for (int s = 1; s <= inT; s++) {
                int j = (i + s) % c;
                if (w.tNode[j] != w.tNode[i]) {
                    l += wn * softplus(dot(w.u[i], w.t[j]));
                }
            }
            for (int q = 0; q < w.ut.length; q++) {
                if (w.utNode[q] != w.tNode[i]) {
                    l += wn * softplus(dot(w.u[i], w.ut[q]));
                }
            }
            for (int s = 1; s <= inS; s++) {
                int j = (i + s) % c;
                if (w.sNode[j] != w.sNode[i]) {
                    l += wn * softplus(dot(w.u[j], w.t[i]));
                }
            }
            for (int q = 0; q < w.us.length; q++) {
                if (w.usNode[q] != w.sNode[i]) {
                    l += wn * softplus(dot(w.us[q], w.t[i]));
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
