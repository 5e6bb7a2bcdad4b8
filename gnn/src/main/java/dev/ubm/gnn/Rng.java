package dev.ubm.gnn;

/**
 * SplitMix64: a tiny, fast, seedable generator for the training hot loop (no allocation, no synchronisation, no
 * boxed values). Streams for (seed, epoch, thread) are derived with {@link #derive}, so a run is reproducible
 * given the seed and the thread count.
 */
public final class Rng {
    private long state;

    public Rng(long seed) {
        this.state = seed;
    }

    /** A seed for a sub-stream, mixing the parent seed with any number of keys. */
    public static long derive(long seed, long... keys) {
        long s = mix(seed ^ 0x5DEECE66DL);
        for (long k : keys) {
            s = mix(s + 0x9E3779B97F4A7C15L * (k + 1));
        }
        return s;
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    public long nextLong() {
        return mix(state += 0x9E3779B97F4A7C15L);
    }

    /** Uniform in [0, bound) (Lemire's multiply-shift; bias below 2^-32). */
    public int nextInt(int bound) {
        return (int) (((nextLong() >>> 32) * bound) >>> 32);
    }

    /** Uniform in [0, 1) with 24 random bits. */
    public float nextFloat() {
        return (nextLong() >>> 40) * 0x1.0p-24f;
    }

    /** Uniform in [0, 1) with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Standard normal (Box–Muller, one value per call). */
    public double nextGaussian() {
        double u = 1.0 - nextDouble();
        double v = nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
