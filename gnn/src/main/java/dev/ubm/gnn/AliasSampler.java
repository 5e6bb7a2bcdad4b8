package dev.ubm.gnn;

/**
 * Draws indices in proportion to non-negative weights in O(1) per draw (Vose's alias method), so edges are sampled
 * proportionally to their weight without a per-draw search. Build is O(n) with one int work array.
 */
public final class AliasSampler {
    /** One slot per index: low 32 bits the float bits of its keep probability, high 32 bits its alias. */
    private final long[] slots;
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
        float[] prob = new float[n];
        int[] alias = new int[n];
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
        slots = new long[n];
        for (int i = 0; i < n; i++) {
            if (p[i] >= 1f) {
                alias[i] = i;
            }
            slots[i] = ((long) alias[i] << 32) | (Float.floatToRawIntBits(p[i]) & 0xFFFFFFFFL);
        }
    }

    public int size() {
        return slots.length;
    }

    public double total() {
        return total;
    }

    /**
     * Records for {@link #drawPayload}: [2i] = the slot of index i, [2i + 1] = payload[i]. An accepted draw (most
     * of them) then reads one 16-byte record, one cache line, instead of a slot and then a payload elsewhere.
     */
    long[] withPayload(long[] payload) {
        if (payload.length != slots.length) {
            throw new IllegalArgumentException(payload.length + " payloads for " + slots.length + " weights");
        }
        long[] rec = new long[2 * slots.length];
        for (int i = 0; i < slots.length; i++) {
            rec[2 * i] = slots[i];
            rec[2 * i + 1] = payload[i];
        }
        return rec;
    }

    /** The payload of one draw from records of {@link #withPayload}: payload[sample(rng)], same stream. */
    static long drawPayload(long[] rec, Rng rng) {
        long r = rng.nextLong();
        int i = (int) (((r >>> 32) * (rec.length >>> 1)) >>> 32);
        float u = (r & 0xFFFFFF) * 0x1.0p-24f;
        long v = rec[2 * i];
        int j = u < Float.intBitsToFloat((int) v) ? i : (int) (v >>> 32);
        return rec[2 * j + 1];
    }

    /** One draw (one memory access into the table). */
    public int sample(Rng rng) {
        long r = rng.nextLong();
        int i = (int) (((r >>> 32) * slots.length) >>> 32);
        float u = (r & 0xFFFFFF) * 0x1.0p-24f;
        long v = slots[i];
        return u < Float.intBitsToFloat((int) v) ? i : (int) (v >>> 32);
    }
}
