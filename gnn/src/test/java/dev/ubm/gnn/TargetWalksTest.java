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
        float[] s = TargetWalks.scores(g, new int[] {2, 3}, new int[] {g.skuNode(101)}, TargetWalks.Via.SKUS);
        assertTrue(s[0] > 0, "client 2 holds sku 0, whose other buyers hold sku 1: " + s[0]);
        assertEquals(0f, s[1], "client 3's sku is never held with sku 1");
    }

    @Test
    void aClientsOwnEventsWithTheTargetDoNotCount() {
        Graph g = bundleGraph();
        float[] s = TargetWalks.scores(g, new int[] {4}, new int[] {g.skuNode(101)}, TargetWalks.Via.SKUS);
        assertEquals(0f, s[0], "client 4 holds only the target itself");
    }

    @Test
    void absentTargetsAndClientsScoreZero() {
        Graph g = bundleGraph();
        assertEquals(-1, g.skuNode(999));
        float[] s = TargetWalks.scores(g, new int[] {-1, 0}, new int[] {g.skuNode(999), g.skuNode(101)},
                TargetWalks.Via.SKUS);
        assertEquals(0f, s[0]);
        assertEquals(0f, s[1]);
        assertEquals(0f, s[2]);
        assertTrue(s[3] > 0);
    }

    @Test
    void theScoreSumsTheWeightedSharesOfCoHoldersOverTheClientsSkus() {
        Graph g = bundleGraph();
        // sku 0 is held by clients 0, 1, 2 (log1p(1) each); clients 0 and 1 also hold sku 1: P(101 | 100) = 2 l^2 / 3 l
        float l = (float) Math.log1p(1);
        float[] s = TargetWalks.scores(g, new int[] {2}, new int[] {g.skuNode(101)}, TargetWalks.Via.SKUS);
        assertEquals(l * 2 * l * l / (3 * l), s[0], 1e-6);
        // client 0 holds skus 0 and 1; towards sku 2 (held by client 3 alone) nothing leads, towards sku 0 its sku 1
        // does: P(100 | 101) = (clients 0, 1 hold both) 2 l^2 / (clients 0, 1, 4) 3 l, times a(0, 101) = l
        float[] t = TargetWalks.scores(g, new int[] {0}, new int[] {g.skuNode(102), g.skuNode(100)},
                TargetWalks.Via.SKUS);
        assertEquals(0f, t[0]);
        assertEquals(l * 2 * l * l / (3 * l), t[1], 1e-6);
    }

    @Test
    void aMoreActiveClientScoresMoreThroughTheSameSkus() {
        // clients 0 and 1 hold sku 0 (weights 1 and 9); client 2 holds skus 0 and 1: both walk to sku 1 through sku 0
        EdgeList buy = new EdgeList(new int[] {0, 1, 2, 2}, new int[] {0, 0, 0, 1}, new float[] {1, 9, 1, 1});
        Graph g = new Graph(new long[] {10, 11, 12}, new long[] {100, 101},
                Map.of(NodeType.CLIENT, 3, NodeType.SKU, 2), Map.of(Relation.BUY, buy));
        float[] s = TargetWalks.scores(g, new int[] {0, 1}, new int[] {g.skuNode(101)}, TargetWalks.Via.SKUS);
        assertTrue(s[1] > s[0] && s[0] > 0, "a sum over the client's weights, not their mean: " + s[0] + ", " + s[1]);
    }

    @Test
    void clientsWhoVisitTheSamePagesAsTheTargetsBuyersScoreThroughUrls() {
        // client 0 buys sku 0 and visits url 0; client 1 visits url 0 only; client 2 visits url 1 only
        EdgeList buy = new EdgeList(new int[] {0}, new int[] {0}, new float[] {1});
        EdgeList visit = new EdgeList(new int[] {0, 1, 2}, new int[] {0, 0, 1}, new float[] {1, 1, 1});
        Graph g = new Graph(new long[] {10, 11, 12}, new long[] {100},
                Map.of(NodeType.CLIENT, 3, NodeType.SKU, 1, NodeType.URL, 2),
                Map.of(Relation.BUY, buy, Relation.VISIT, visit));
        float l = (float) Math.log1p(1);
        float[] s = TargetWalks.scores(g, new int[] {0, 1, 2}, new int[] {g.skuNode(100)}, TargetWalks.Via.URLS);
        // P(100 | url 0) = a(0, url 0) a(0, 100) / (a(0, url 0) + a(1, url 0)) = l^2 / 2l; the buyer's own visits
        // count through urls (only the sku walk leaves the target itself out)
        assertEquals(l * l * l / (2 * l), s[0], 1e-6);
        assertEquals(l * l * l / (2 * l), s[1], 1e-6);
        assertEquals(0f, s[2], "url 1 is visited by no holder of sku 100");
        float[] viaSkus = TargetWalks.scores(g, new int[] {1}, new int[] {g.skuNode(100)}, TargetWalks.Via.SKUS);
        assertEquals(0f, viaSkus[0], "client 1 holds no sku");
    }
}
