package dev.ubm.gnn;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/**
 * Two-step walks from a client to the skus a task names, over the client-sku relations (buy, add_to_cart): the
 * graph's own prediction of which target skus a client's neighbourhood leads to.
 *
 * <pre>
 *   score(c, t) = Σ_s a(c,s) · P(t | s) / Σ_s a(c,s)
 *   P(t | s)    = Σ_c' a(c',s) · a(c',t) / Σ_c' a(c',s)      (over every client c' of the graph, s ≠ t)
 * </pre>
 * with a(c,s) = log1p of the recency-decayed event weight, summed over the two relations. P(t | s) is how strongly
 * the clients of sku s also hold t (bundles, complements, substitutes); a client's own earlier events with t itself
 * are left out of its score (s ≠ t), since per-client counters already see them. Targets that are not sku nodes
 * (never bought or carted in the input) score 0.
 */
final class TargetWalks {
    /** The relations the walks follow. */
    static final Set<Relation> RELATIONS = EnumSet.of(Relation.BUY, Relation.ADD_TO_CART);

    private TargetWalks() {
    }

    /**
     * The scores of each client node (-1 = not in the graph: zeros) against each target sku node (-1 = absent: a
     * column of zeros), row-major {@code clients.length x targets.length}.
     */
    static float[] scores(Graph g, int[] clients, int[] targets) {
        int m = targets.length;
        float[] out = new float[clients.length * m];
        int nSku = g.nodes(NodeType.SKU);
        if (m == 0 || nSku == 0) {
            return out;
        }
        Csr a = clientSku(g);
        int[] ptr = a.ptr();
        int[] col = a.col();
        float[] val = a.val();
        int[] targetOf = new int[nSku];
        Arrays.fill(targetOf, -1);
        for (int j = 0; j < m; j++) {
            if (targets[j] >= 0) {
                targetOf[targets[j]] = j;
            }
        }
        // co-occurrence of every sku with each target, over the clients holding both
        float[] co = new float[Math.multiplyExact(nSku, m)];
        double[] mass = new double[nSku];
        for (int c = 0; c < a.rows(); c++) {
            for (int p = ptr[c]; p < ptr[c + 1]; p++) {
                mass[col[p]] += val[p];
            }
            for (int q = ptr[c]; q < ptr[c + 1]; q++) {
                int j = targetOf[col[q]];
                if (j < 0) {
                    continue;
                }
                for (int p = ptr[c]; p < ptr[c + 1]; p++) {
                    if (p != q) {
                        co[col[p] * m + j] += val[p] * val[q];
                    }
                }
            }
        }
        for (int s = 0; s < nSku; s++) {
            if (mass[s] > 0) {
                float inv = (float) (1.0 / mass[s]);
                for (int j = 0; j < m; j++) {
                    co[s * m + j] *= inv;
                }
            }
        }
        for (int i = 0; i < clients.length; i++) {
            int c = clients[i];
            if (c < 0 || ptr[c] == ptr[c + 1]) {
                continue;
            }
            double sum = 0;
            double[] acc = new double[m];
            for (int p = ptr[c]; p < ptr[c + 1]; p++) {
                int s = col[p];
                sum += val[p];
                for (int j = 0; j < m; j++) {
                    acc[j] += val[p] * (double) co[s * m + j];
                }
            }
            for (int j = 0; j < m; j++) {
                out[i * m + j] = (float) (acc[j] / sum);
            }
        }
        return out;
    }

    /** The client x sku matrix of log1p(weight) summed over {@link #RELATIONS}. */
    static Csr clientSku(Graph g) {
        int n = 0;
        for (Relation r : RELATIONS) {
            n += g.edges(r).size();
        }
        int[] rows = new int[n];
        int[] cols = new int[n];
        float[] vals = new float[n];
        int k = 0;
        for (Relation r : RELATIONS) {
            EdgeList e = g.edges(r);
            for (int i = 0; i < e.size(); i++) {
                rows[k] = e.src()[i];
                cols[k] = e.dst()[i];
                vals[k] = (float) Math.log1p(e.weight()[i]);
                k++;
            }
        }
        return Csr.fromTriples(g.nodes(NodeType.CLIENT), g.nodes(NodeType.SKU), rows, cols, vals, n);
    }
}
