package dev.ubm.data.synth;

import java.util.SplittableRandom;

/** Random helpers of the generator: independent seeded streams per (client, purpose) and a few distributions. */
final class Rand {
    /** Stream of a client's latent parameters. */
    static final int PARAMS = 0;
    /** Stream of a client's history up to the validation window. */
    static final int HISTORY = 1;
    /** Stream of future draw k is FUTURE + k (draw 0 is the realised future). */
    static final int FUTURE = 2;

    private Rand() {
    }

    static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }

    /** An independent stream for (seed, owner, purpose); owner −1 is the world itself. */
    static SplittableRandom stream(long seed, long owner, int purpose) {
        long z = mix(seed * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L);
        z = mix(z ^ (owner * 0xD1B54A32D192ED03L + 0x8CB92BA72F3D8DD7L));
        return new SplittableRandom(mix(z ^ ((purpose + 1L) * 0xABC98388FB8FAC03L)));
    }

    static double gaussian(SplittableRandom r) {
        // Marsaglia polar method: depends only on nextDouble, so identical on every JDK
        while (true) {
            double u = 2 * r.nextDouble() - 1;
            double v = 2 * r.nextDouble() - 1;
            double s = u * u + v * v;
            if (s > 0 && s < 1) {
                return u * Math.sqrt(-2 * Math.log(s) / s);
            }
        }
    }

    static double exponential(SplittableRandom r, double mean) {
        return -mean * Math.log(1 - r.nextDouble());
    }

    /** Failures before the first success with success probability p (mean (1−p)/p). */
    static int geometric(SplittableRandom r, double p) {
        if (p >= 1) {
            return 0;
        }
        return (int) Math.min(1_000_000, Math.floor(Math.log(1 - r.nextDouble()) / Math.log(1 - p)));
    }

    static int poisson(SplittableRandom r, double lambda) {
        if (lambda <= 0) {
            return 0;
        }
        if (lambda > 30) {
            return (int) Math.max(0, Math.round(lambda + Math.sqrt(lambda) * gaussian(r)));
        }
        double limit = Math.exp(-lambda);
        double p = 1;
        int k = -1;
        do {
            k++;
            p *= r.nextDouble();
        } while (p > limit);
        return k;
    }

    /** Index i with cum[i-1] ≤ u·total < cum[i] over cum[from..to), cumulative weights. */
    static int pick(SplittableRandom r, double[] cum, int from, int to) {
        double base = from == 0 ? 0 : cum[from - 1];
        double x = base + r.nextDouble() * (cum[to - 1] - base);
        int lo = from;
        int hi = to - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cum[mid] > x) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    static int pick(SplittableRandom r, double[] cum) {
        return pick(r, cum, 0, cum.length);
    }

    static void shuffle(SplittableRandom r, long[] a) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            long t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** n distinct ids, spread over [1, n·step], in random order. */
    static long[] ids(SplittableRandom r, int n, int step) {
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) {
            ids[i] = 1 + (long) i * step + r.nextInt(step);
        }
        shuffle(r, ids);
        return ids;
    }

    static double[] cumulative(double[] w) {
        double[] c = new double[w.length];
        double s = 0;
        for (int i = 0; i < w.length; i++) {
            s += w[i];
            c[i] = s;
        }
        return c;
    }
}
