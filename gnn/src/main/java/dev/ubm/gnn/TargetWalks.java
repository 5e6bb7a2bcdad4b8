package dev.ubm.gnn;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/**
 * Two-step walks from a client to the skus a task names: the graph's own prediction of which target skus a client's
 * neighbourhood leads to. Two walks per target, each a column group: through the skus the client bought or carted
 * (co-purchases) and through the urls it visited (clients who browse the same pages).
 *
 * <pre>
 *   score_X(c, t) = Σ_x a(c,x) · P(t | x)                           x over the client's X nodes (skus or urls)
 *   P(t | x)      = Σ_c' a(c',x) · a(c',t) / Σ_c' a(c',x)          over every client c' of the graph
 * </pre>
 * with a(c,x) = log1p of the recency-decayed event weight (summed over buy and add_to_cart for skus) and a(c',t)
 * the buy and cart weight of c' on the target. P(t | x) is how strongly the clients of x also hold t (bundles,
 * complements, a shared taste or circle). The score is a sum, not a mean over the client's nodes: it grows with
 * the client's activity, as the chance of a buy does (the mean lost that: the fast probe read the sku task at
 * 0.73 from it against 0.83 from five activity counts). Through skus, a client's own earlier events with t itself
 * are left out (x ≠ t), since per-client counters already see them. Targets that are not sku nodes (never bought
 * or carted in the input, as new skus are) score 0; so do clients without nodes of the walk. Memory: one float per
 * target for every node some holder of a target reached (not for every node of the type).
 */
final class TargetWalks {
    /** The walks: through which client relations, in column-group order ({@code SKUS} also gives a(c, t)). */
    enum Via {
        SKUS(EnumSet.of(Relation.BUY, Relation.ADD_TO_CART), NodeType.SKU),
        URLS(EnumSet.of(Relation.VISIT), NodeType.URL);

        final Set<Relation> relations;
        final NodeType nodes;

        Via(Set<Relation> relations, NodeType nodes) {
            this.relations = relations;
            this.nodes = nodes;
        }

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private TargetWalks() {
    }

    /**
     * The scores of each client node (-1 = not in the graph: zeros) against each target sku node (-1 = absent: a
     * column of zeros), row-major {@code clients.length x targets.length}, walking {@code via}.
     */
    static float[] scores(Graph g, int[] clients, int[] targets, Via via) {
        int m = targets.length;
        float[] out = new float[clients.length * m];
        int nSku = g.nodes(NodeType.SKU);
        int nItems = g.nodes(via.nodes);
        if (m == 0 || nSku == 0 || nItems == 0) {
            return out;
        }
        Csr hold = clientNodes(g, Via.SKUS.relations, Via.SKUS.nodes);
        Csr a = via == Via.SKUS ? hold : clientNodes(g, via.relations, via.nodes);
        int[] targetOf = new int[nSku];
        Arrays.fill(targetOf, -1);
        for (int j = 0; j < m; j++) {
            if (targets[j] >= 0) {
                targetOf[targets[j]] = j;
            }
        }
        int[] hp = hold.ptr();
        int[] hc = hold.col();
        float[] hv = hold.val();
        int[] ap = a.ptr();
        int[] ac = a.col();
        float[] av = a.val();
        // only the nodes of clients who hold a target can lead to one: they get a row of the co-occurrence table
        int[] rowOf = new int[nItems];
        Arrays.fill(rowOf, -1);
        int touched = 0;
        for (int c = 0; c < a.rows(); c++) {
            if (!holdsTarget(hp, hc, targetOf, c)) {
                continue;
            }
            for (int p = ap[c]; p < ap[c + 1]; p++) {
                if (rowOf[ac[p]] < 0) {
                    rowOf[ac[p]] = touched++;
                }
            }
        }
        // co-occurrence of those nodes with each target, over the clients holding both
        float[] co = new float[Math.multiplyExact(touched, m)];
        double[] mass = new double[touched];
        for (int c = 0; c < a.rows(); c++) {
            for (int p = ap[c]; p < ap[c + 1]; p++) {
                int r = rowOf[ac[p]];
                if (r >= 0) {
                    mass[r] += av[p];
                }
            }
            for (int q = hp[c]; q < hp[c + 1]; q++) {
                int j = targetOf[hc[q]];
                if (j < 0) {
                    continue;
                }
                for (int p = ap[c]; p < ap[c + 1]; p++) {
                    if (via != Via.SKUS || ac[p] != hc[q]) {
                        co[rowOf[ac[p]] * m + j] += av[p] * hv[q];
                    }
                }
            }
        }
        for (int r = 0; r < touched; r++) {
            if (mass[r] > 0) {
                float inv = (float) (1.0 / mass[r]);
                for (int j = 0; j < m; j++) {
                    co[r * m + j] *= inv;
                }
            }
        }
        double[] acc = new double[m];
        for (int i = 0; i < clients.length; i++) {
            int c = clients[i];
            if (c < 0 || ap[c] == ap[c + 1]) {
                continue;
            }
            Arrays.fill(acc, 0);
            for (int p = ap[c]; p < ap[c + 1]; p++) {
                int r = rowOf[ac[p]];
                if (r < 0) {
                    continue;
                }
                for (int j = 0; j < m; j++) {
                    acc[j] += av[p] * (double) co[r * m + j];
                }
            }
            for (int j = 0; j < m; j++) {
                out[i * m + j] = (float) acc[j];
            }
        }
        return out;
    }

    private static boolean holdsTarget(int[] hp, int[] hc, int[] targetOf, int c) {
        for (int q = hp[c]; q < hp[c + 1]; q++) {
            if (targetOf[hc[q]] >= 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * The client x {@code type} matrix of log1p(weight) summed over {@code relations} (clients without such edges
     * have empty rows).
     */
    static Csr clientNodes(Graph g, Set<Relation> relations, NodeType type) {
        int n = 0;
        for (Relation r : relations) {
            n += g.edges(r).size();
        }
        int[] rows = new int[n];
        int[] cols = new int[n];
        float[] vals = new float[n];
        int k = 0;
        for (Relation r : relations) {
            EdgeList e = g.edges(r);
            for (int i = 0; i < e.size(); i++) {
                rows[k] = e.src()[i];
                cols[k] = e.dst()[i];
                vals[k] = (float) Math.log1p(e.weight()[i]);
                k++;
            }
        }
        return Csr.fromTriples(g.nodes(NodeType.CLIENT), g.nodes(type), rows, cols, vals, n);
    }
}
