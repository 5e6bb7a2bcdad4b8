package dev.ubm.gnn;

/**
 * Draws indices in proportion to non-negative weights in O(1) per draw (Vose's alias method), so edges are sampled
 * proportionally to their weight without a per-draw search. Build is O(n) with one int work array.
 */
public final class AliasSampler {
    private final float[] prob;
    private final int[] alias;
    private final double total;

    /** @param weights non-negative weights with a positive sum */
    public AliasSampler(double[] weights) {
        this(weights.length, i -> weights[i]);
    }

    /** Weights given by a function of the index (avoids a double[] copy of float weights). */
    public AliasSampler(int n, java.util.function.IntToDoubleFunction weight) {
        if (n <= 0) {
            throw new IllegalArgumentException("no weights");
        }
        prob = new float[n];
        alias = new int[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double w = weight.applyAsDouble(i);
            if (!(w >= 0) || Double.isInfinite(w)) {
                throw new IllegalArgumentException("weight " + i + " is " + w);
            }
            sum += w;
        }
        if (!(sum > 0)) {
            throw new IllegalArgumentException("weights sum to " + sum);
        }
        total = sum;
        // scaled probabilities kept in prob (as float); work holds small indices from the front, large from the back
        int[] work = new int[n];
        int small = 0;
        int large = n;
        float[] p = prob;
        for (int i = 0; i < n; i++) {
            p[i] = (float) (weight.applyAsDouble(i) * n / sum);
            if (p[i] < 1f) {
                work[small++] = i;
            } else {
                work[--large] = i;
            }
        }
        // two stacks in one array: small indices in work[0..small), large ones in work[large..n); small <= large
        while (small > 0 && large < n) {
            int si = work[--small];
            int li = work[large];
            alias[si] = li;
            p[li] = (p[li] + p[si]) - 1f;
            if (p[li] < 1f) {
                large++;
                work[small++] = li;
            }
        }
        while (large < n) {
            p[work[large++]] = 1f;
        }
        while (small > 0) {
            p[work[--small]] = 1f;
        }
        for (int i = 0; i < n; i++) {
            if (p[i] >= 1f) {
                alias[i] = i;
            }
        }
    }

    public int size() {
        return prob.length;
    }

    public double total() {
        return total;
    }

    /** One draw. */
    public int sample(Rng rng) {
        long r = rng.nextLong();
        int i = (int) (((r >>> 32) * prob.length) >>> 32);
        float u = (r & 0xFFFFFF) * 0x1.0p-24f;
        return u < prob[i] ? i : alias[i];
    }
}
