package dev.ubm.gnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** Checks the batch gradients against finite differences of the loss written out pair by pair. */
class TwhinWorkerTest {
    private static final int D = 4;

    @Test
    void gradientsMatchFiniteDifferencesOfTheLoss() {
        // a small graph so that in-batch and uniform negatives sometimes hit the positive's own node (masked)
        Graph g = TestGraphs.communities(4, 3, 3, 1);
        TwhinConfig cfg = new TwhinConfig(D, 1, 6, 8, 0.05, 1, 3, 1.0, TwhinConfig.WeightTransform.LOG1P, Map.of(),
                TwhinConfig.Storage.HEAP);
        FloatTable table = FloatTable.heap(g.totalNodes(), D);
        Rng init = new Rng(11);
        float[] row = new float[D];
        for (int n = 0; n < g.totalNodes(); n++) {
            for (int k = 0; k < D; k++) {
                row[k] = (float) init.nextGaussian();
            }
            table.write(n, row, 0);
        }
        float[] rel = new float[Relation.values().length * D];
        for (int k = 0; k < D; k++) {
            rel[Relation.BUY.ordinal() * D + k] = 0.3f * k - 0.4f;
        }
        EdgeList l = g.edges(Relation.BUY);
        AliasSampler[] samplers = new AliasSampler[Relation.values().length];
        samplers[Relation.BUY.ordinal()] = new AliasSampler(l.size(), i -> 1.0);
        double[] share = new double[Relation.values().length];
        share[Relation.BUY.ordinal()] = 1;
        long[][] ends = new long[Relation.values().length][];
        ends[Relation.BUY.ordinal()] = TwhinTrainer.pack(l);
        TwhinWorker w = new TwhinWorker(cfg, g, table, new float[g.totalNodes()], rel, new float[7], samplers, ends,
                new AliasSampler(share), new Rng(5));
        w.gradientsOfBatch(Relation.BUY, true);

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
                for (int k = 0; k < D; k++) {
                    float keep = rows[a][i][k];
                    rows[a][i][k] = (float) (keep + h);
                    double up = loss(w, cfg);
                    rows[a][i][k] = (float) (keep - h);
                    double down = loss(w, cfg);
                    rows[a][i][k] = keep;
                    double numeric = (up - down) / (2 * h);
                    assertEquals(numeric, grads[a][i][k], 5e-3 + 5e-3 * Math.abs(numeric),
                            "d loss / d " + names[a] + "[" + i + "][" + k + "]");
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
