package dev.ubm.gnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

class TargetWalksTest {
    /** Clients 0 and 1 buy skus 0 and 1 together; client 2 holds sku 0 only, client 3 sku 2 only, client 4 sku 1. */
    private static Graph bundleGraph() {
        EdgeList buy = new EdgeList(new int[] {0, 0, 1, 1, 2, 3, 4}, new int[] {0, 1, 0, 1, 0, 2, 1},
                new float[] {1, 1, 1, 1, 1, 1, 1});
        return new Graph(new long[] {10, 11, 12, 13, 14}, new long[] {100, 101, 102},
                Map.of(NodeType.CLIENT, 5, NodeType.SKU, 3), Map.of(Relation.BUY, buy));
    }

    @Test
    void aClientWhoseSkuIsBoughtWithTheTargetScoresAndAStrangerDoesNot() {
        Graph g = bundleGraph();
        float[] s = TargetWalks.scores(g, new int[] {2, 3}, new int[] {g.skuNode(101)});
        assertTrue(s[0] > 0, "client 2 holds sku 0, whose other buyers hold sku 1: " + s[0]);
        assertEquals(0f, s[1], "client 3's sku is never held with sku 1");
    }

    @Test
    void aClientsOwnEventsWithTheTargetDoNotCount() {
        Graph g = bundleGraph();
        float[] s = TargetWalks.scores(g, new int[] {4}, new int[] {g.skuNode(101)});
        assertEquals(0f, s[0], "client 4 holds only the target itself");
    }

    @Test
    void absentTargetsAndClientsScoreZero() {
        Graph g = bundleGraph();
        assertEquals(-1, g.skuNode(999));
        float[] s = TargetWalks.scores(g, new int[] {-1, 0}, new int[] {g.skuNode(999), g.skuNode(101)});
        assertEquals(0f, s[0]);
        assertEquals(0f, s[1]);
        assertEquals(0f, s[2]);
        assertTrue(s[3] > 0);
    }

    @Test
    void theScoreIsTheWeightedShareOfCoHolders() {
        Graph g = bundleGraph();
        // sku 0 is held by clients 0, 1, 2 (log1p(1) each); clients 0 and 1 also hold sku 1: P(101 | 100) = 2 l^2 / 3 l
        float l = (float) Math.log1p(1);
        float[] s = TargetWalks.scores(g, new int[] {2}, new int[] {g.skuNode(101)});
        assertEquals(2 * l * l / (3 * l), s[0], 1e-6);
    }
}
