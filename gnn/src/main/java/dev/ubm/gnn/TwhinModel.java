package dev.ubm.gnn;

import java.util.List;

/**
 * Trained TwHIN embeddings: one table row per node (types laid out as in {@link Graph#offset}) and one translation
 * vector per relation. Scores are (θ_s + r_rel)·θ_t. Close it to release a memory-mapped table.
 */
public final class TwhinModel implements AutoCloseable {
    private final Graph graph;
    private final FloatTable table;
    private final float[] relations;
    private final List<Double> epochLosses;

    TwhinModel(Graph graph, FloatTable table, float[] relations, List<Double> epochLosses) {
        this.graph = graph;
        this.table = table;
        this.relations = relations;
        this.epochLosses = List.copyOf(epochLosses);
    }

    public int dim() {
        return table.dim();
    }

    public Graph graph() {
        return graph;
    }

    public FloatTable table() {
        return table;
    }

    /** Mean training loss per positive edge (positive term + weighted negatives), one value per epoch. */
    public List<Double> epochLosses() {
        return epochLosses;
    }

    /** The embedding of node {@code id} of a type. */
    public float[] vector(NodeType type, int id) {
        float[] v = new float[dim()];
        table.read(graph.offset(type) + id, v, 0);
        return v;
    }

    /** The translation vector of a relation. */
    public float[] relation(Relation r) {
        float[] v = new float[dim()];
        System.arraycopy(relations, r.ordinal() * dim(), v, 0, dim());
        return v;
    }

    /** The model's score (θ_s + r)·θ_t of an edge. */
    public double score(Relation r, int src, int dst) {
        float[] s = vector(r.source(), src);
        float[] t = vector(r.target(), dst);
        int ro = r.ordinal() * dim();
        double z = 0;
        for (int k = 0; k < dim(); k++) {
            z += (s[k] + relations[ro + k]) * (double) t[k];
        }
        return z;
    }

    @Override
    public void close() {
        table.close();
    }
}
