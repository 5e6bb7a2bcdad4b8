package dev.ubm.gnn;

/**
 * The edges of one relation as three parallel arrays: source and target ids (dense ids within their node types)
 * and a weight (the time-decayed event count). Sorted by (source, target) when built from events.
 */
public record EdgeList(int[] src, int[] dst, float[] weight) {
    public static final EdgeList EMPTY = new EdgeList(new int[0], new int[0], new float[0]);

    public EdgeList {
        if (src.length != dst.length || src.length != weight.length) {
            throw new IllegalArgumentException("edge arrays differ in length: " + src.length + ", " + dst.length
                    + ", " + weight.length);
        }
    }

    public int size() {
        return src.length;
    }

    /** Sum of the weights. */
    public double totalWeight() {
        double s = 0;
        for (float w : weight) {
            s += w;
        }
        return s;
    }
}
