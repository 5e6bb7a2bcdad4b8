package dev.ubm.gnn;

import java.util.EnumMap;
import java.util.Map;

/** Small in-memory graphs for trainer tests. */
final class TestGraphs {
    private TestGraphs() {
    }

    /**
     * Two communities: clients of community c buy (and add to cart) only items of community c. Clients
     * 0..perSide-1 are community 0, the rest community 1; items likewise.
     */
    static Graph communities(int clientsPerSide, int itemsPerSide, int edgesPerClient, long seed) {
        int clients = 2 * clientsPerSide;
        int n = clients * edgesPerClient;
        int[] src = new int[n];
        int[] dst = new int[n];
        float[] w = new float[n];
        Rng rng = new Rng(seed);
        int k = 0;
        for (int c = 0; c < clients; c++) {
            int side = c < clientsPerSide ? 0 : 1;
            for (int e = 0; e < edgesPerClient; e++) {
                src[k] = c;
                dst[k] = side * itemsPerSide + rng.nextInt(itemsPerSide);
                w[k++] = 1f + rng.nextInt(3);
            }
        }
        return graph(clients, 2 * itemsPerSide, Map.of(Relation.BUY, new EdgeList(src, dst, w)));
    }

    static Graph graph(int clients, int skus, Map<Relation, EdgeList> edges) {
        long[] ids = new long[clients];
        for (int i = 0; i < clients; i++) {
            ids[i] = 1000 + i;
        }
        Map<NodeType, Integer> counts = new EnumMap<>(NodeType.class);
        counts.put(NodeType.CLIENT, clients);
        counts.put(NodeType.SKU, skus);
        return new Graph(ids, counts, edges);
    }
}
