package dev.ubm.gnn;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;

/**
 * The heterogeneous behaviour graph in compact arrays: a node count per {@link NodeType}, the client id of every
 * client node (sorted ascending, so client node i is the i-th smallest id), and one {@link EdgeList} per relation
 * (int ids within the node types, float weights). Models place the node types one after another in one table;
 * {@link #offset} gives where each type starts.
 */
public final class Graph {
    private final int[] counts = new int[NodeType.values().length];
    private final int[] offsets = new int[NodeType.values().length];
    private final long[] clientIds;
    private final long[] skuIds;
    private final EnumMap<Relation, EdgeList> edges = new EnumMap<>(Relation.class);
    private final int totalNodes;

    /**
     * @param clientIds client id of each client node, strictly ascending
     * @param counts    node count per type (the CLIENT entry must equal clientIds.length)
     * @param edges     edge lists per relation; ids must lie within their types
     */
    public Graph(long[] clientIds, Map<NodeType, Integer> counts, Map<Relation, EdgeList> edges) {
        this(clientIds, null, counts, edges);
    }

    /**
     * @param skuIds sku id of each sku node, strictly ascending (null when unknown: then {@link #skuNode} finds
     *               nothing)
     */
    public Graph(long[] clientIds, long[] skuIds, Map<NodeType, Integer> counts, Map<Relation, EdgeList> edges) {
        this.clientIds = clientIds;
        this.skuIds = skuIds == null ? new long[0] : skuIds;
        long total = 0;
        for (NodeType t : NodeType.values()) {
            int n = counts.getOrDefault(t, 0);
            if (n < 0) {
                throw new IllegalArgumentException("negative node count for " + t);
            }
            this.counts[t.ordinal()] = n;
            this.offsets[t.ordinal()] = (int) total;
            total += n;
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("too many nodes: " + total);
        }
        this.totalNodes = (int) total;
        if (this.counts[NodeType.CLIENT.ordinal()] != clientIds.length) {
            throw new IllegalArgumentException("client count " + this.counts[NodeType.CLIENT.ordinal()]
                    + " != clientIds.length " + clientIds.length);
        }
        for (int i = 1; i < clientIds.length; i++) {
            if (clientIds[i] <= clientIds[i - 1]) {
                throw new IllegalArgumentException("client ids must be strictly ascending at index " + i);
            }
        }
        if (skuIds != null && skuIds.length != this.counts[NodeType.SKU.ordinal()]) {
            throw new IllegalArgumentException("sku count " + this.counts[NodeType.SKU.ordinal()] + " != skuIds.length "
                    + skuIds.length);
        }
        for (int i = 1; i < this.skuIds.length; i++) {
            if (this.skuIds[i] <= this.skuIds[i - 1]) {
                throw new IllegalArgumentException("sku ids must be strictly ascending at index " + i);
            }
        }
        for (Map.Entry<Relation, EdgeList> e : edges.entrySet()) {
            Relation r = e.getKey();
            EdgeList l = e.getValue();
            check(l.src(), nodes(r.source()), r, "source");
            check(l.dst(), nodes(r.target()), r, "target");
            for (int i = 0; i < l.size(); i++) {
                if (!(l.weight()[i] >= 0) || !Float.isFinite(l.weight()[i])) {
                    throw new IllegalArgumentException(r.cliName() + ": edge " + i + " has weight " + l.weight()[i]);
                }
            }
            this.edges.put(r, l);
        }
    }

    private static void check(int[] ids, int n, Relation r, String side) {
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= n) {
                throw new IllegalArgumentException(r.cliName() + ": edge " + i + " " + side + " id " + ids[i]
                        + " outside 0.." + (n - 1));
            }
        }
    }

    public int nodes(NodeType t) {
        return counts[t.ordinal()];
    }

    /** Where a type's ids start in a table holding all types in {@link NodeType} order. */
    public int offset(NodeType t) {
        return offsets[t.ordinal()];
    }

    public int totalNodes() {
        return totalNodes;
    }

    /** The edges of a relation (empty when the relation is not in the graph). */
    public EdgeList edges(Relation r) {
        return edges.getOrDefault(r, EdgeList.EMPTY);
    }

    public boolean has(Relation r) {
        return edges(r).size() > 0;
    }

    public long totalEdges() {
        long s = 0;
        for (EdgeList l : edges.values()) {
            s += l.size();
        }
        return s;
    }

    /** Client id of each client node (ascending). */
    public long[] clientIds() {
        return clientIds;
    }

    /** The client node of a client id, or -1 when the client is not in the graph. */
    public int clientNode(long clientId) {
        int i = Arrays.binarySearch(clientIds, clientId);
        return i >= 0 ? i : -1;
    }

    /** The sku node of a sku id, or -1 when the sku is not in the graph (or the graph does not know sku ids). */
    public int skuNode(long sku) {
        int i = Arrays.binarySearch(skuIds, sku);
        return i >= 0 ? i : -1;
    }

    /** Number of edges (over all client relations) at each client node. */
    public int[] clientDegrees() {
        int[] deg = new int[nodes(NodeType.CLIENT)];
        for (Map.Entry<Relation, EdgeList> e : edges.entrySet()) {
            if (e.getKey().isClientRelation()) {
                for (int s : e.getValue().src()) {
                    deg[s]++;
                }
            }
        }
        return deg;
    }

    /** A hash of node counts and every edge: a checkpoint made on another graph is never resumed. */
    public String fingerprint() {
        long h = 0x9E3779B97F4A7C15L;
        for (int c : counts) {
            h = mix(h, c);
        }
        for (long id : clientIds) {
            h = mix(h, id);
        }
        for (Relation r : Relation.values()) {
            EdgeList l = edges(r);
            h = mix(h, r.ordinal() * 1_000_003L + l.size());
            for (int i = 0; i < l.size(); i++) {
                h = mix(h, ((long) l.src()[i] << 32) ^ l.dst()[i]);
                h = mix(h, Float.floatToIntBits(l.weight()[i]));
            }
        }
        return String.format("%016x", h);
    }

    private static long mix(long h, long v) {
        long z = h ^ (v + 0x9E3779B97F4A7C15L + (h << 6) + (h >>> 2));
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** One line: node counts per type and edge counts per relation. */
    public String summary() {
        StringBuilder sb = new StringBuilder("nodes");
        for (NodeType t : NodeType.values()) {
            sb.append(' ').append(t.name().toLowerCase(java.util.Locale.ROOT)).append('=').append(nodes(t));
        }
        sb.append("; edges");
        for (Relation r : Relation.values()) {
            if (edges.containsKey(r)) {
                sb.append(' ').append(r.cliName()).append('=').append(edges(r).size());
            }
        }
        return sb.toString();
    }
}
