package dev.ubm.gnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.ubm.core.ChallengeDataDir;
import dev.ubm.core.Progress;
import dev.ubm.data.EventStore;

import java.nio.file.Path;
import java.util.EnumSet;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GraphBuilderTest {
    @TempDir
    static Path tmp;
    static ChallengeDataDir world;

    @BeforeAll
    static void writeWorld() throws Exception {
        Progress.setEnabled(false);
        world = TinyWorld.threeClients().write(tmp.resolve("world"));
    }

    private static Graph build(GraphConfig cfg) {
        try (EventStore store = EventStore.open(world)) {
            return GraphBuilder.build(store, cfg, null);
        }
    }

    private static GraphConfig cfg(boolean allClients) {
        return new GraphConfig(EnumSet.allOf(Relation.class), 1.0, 3, 2, allClients);
    }

    @Test
    void nodeCountsMatchTheHandCount() {
        Graph g = build(cfg(true));
        assertArrayEquals(new long[] {1, 2, 3, 4}, g.clientIds());
        assertEquals(3, g.nodes(NodeType.SKU)); // 10, 11, 12 (13 has no event)
        assertEquals(2, g.nodes(NodeType.CATEGORY)); // 100, 101 (102 has no event)
        assertEquals(2, g.nodes(NodeType.PRICE)); // 5, 7
        assertEquals(1, g.nodes(NodeType.URL)); // 500; 501 has one client
        assertEquals(1, g.nodes(NodeType.QUERY)); // "1 2 3"; "7 7 7" has one client
        assertEquals(13, g.totalNodes());
    }

    @Test
    void edgeWeightsAreTimeDecayedCounts() {
        Graph g = build(cfg(true));
        // half life 1 day, cutoff 2024-01-11 00:00
        assertEdges(g.edges(Relation.BUY), new int[] {0, 1}, new int[] {0, 1},
                new double[] {Math.pow(2, -0.5) + Math.pow(2, -1.5), 0.5});
        assertEdges(g.edges(Relation.ADD_TO_CART), new int[] {0, 2}, new int[] {1, 2}, new double[] {0.5, 0.125});
        assertEdges(g.edges(Relation.REMOVE_FROM_CART), new int[] {2}, new int[] {2}, new double[] {0.25});
        assertEdges(g.edges(Relation.VISIT), new int[] {0, 1, 3}, new int[] {0, 0, 0}, new double[] {1.0, 0.5, 0.5});
        assertEdges(g.edges(Relation.SEARCH), new int[] {1, 2}, new int[] {0, 0}, new double[] {0.5, 0.25});
        assertEdges(g.edges(Relation.SKU_CATEGORY), new int[] {0, 1, 2}, new int[] {0, 0, 1}, new double[] {1, 1, 1});
        // buy, add and remove events by the product's category: client 1 bought 10 twice and added 11 (both 100)
        assertEdges(g.edges(Relation.CLIENT_CATEGORY), new int[] {0, 1, 2}, new int[] {0, 0, 1},
                new double[] {Math.pow(2, -0.5) + Math.pow(2, -1.5) + 0.5, 0.5, 0.125 + 0.25});
        assertEdges(g.edges(Relation.SKU_PRICE), new int[] {0, 1, 2}, new int[] {0, 1, 0}, new double[] {1, 1, 1});
    }

    @Test
    void relevantOnlyGraphDropsOtherClients() {
        Graph g = build(cfg(false));
        assertArrayEquals(new long[] {1, 2, 3}, g.clientIds());
        assertEdges(g.edges(Relation.VISIT), new int[] {0, 1}, new int[] {0, 0}, new double[] {1.0, 0.5});
        assertEquals(-1, g.clientNode(4));
    }

    @Test
    void theCartAblationLeavesAddToCartOut() {
        Graph g = build(cfg(true).withRelations(EnumSet.complementOf(EnumSet.of(Relation.ADD_TO_CART))));
        assertFalse(g.has(Relation.ADD_TO_CART));
        assertEquals(2, g.edges(Relation.BUY).size());
        assertEquals(3, g.nodes(NodeType.SKU)); // sku 12 still comes from remove_from_cart
    }

    @Test
    void clientDegreesCountClientEdges() {
        Graph g = build(cfg(true));
        assertArrayEquals(new int[] {4, 4, 4, 1}, g.clientDegrees()); // 501 and "7 7 7" were pruned
    }

    @Test
    void queryKeysAreTheFirstCodes() throws Exception {
        try (EventStore store = EventStore.open(world); var st = store.connection().createStatement();
                var rs = st.executeQuery("SELECT " + GraphBuilder.queryKeySql("'[ 21  21  13 168 7]'", 3))) {
            rs.next();
            assertEquals("21 21 13", rs.getString(1));
        }
    }

    private static void assertEdges(EdgeList l, int[] src, int[] dst, double[] w) {
        assertArrayEquals(src, l.src(), "sources");
        assertArrayEquals(dst, l.dst(), "targets");
        assertEquals(w.length, l.size());
        for (int i = 0; i < w.length; i++) {
            assertEquals(w[i], l.weight()[i], 1e-5, "weight of edge " + i);
        }
    }
}
