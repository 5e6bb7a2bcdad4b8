package dev.ubm.gnn;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The row kernels of {@link TwhinWorker} written with the incubating Vector API (explicit SIMD): dot products,
 * sums of squares and linear combinations of rows of length dim. HotSpot's auto-vectoriser handles neither float
 * reductions nor loops as short as a 64-float row well; these do both in a few instructions per row. Only loaded
 * when the JVM runs with {@code --add-modules jdk.incubator.vector} (see {@link TwhinWorker#VECTOR_API}; the class
 * does not even link without it); otherwise the worker keeps its plain-Java kernels.
 */
final class VectorKernels {
    private VectorKernels() {
    }

    private static final class V {
        static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
        static final int L = S.length();
        // butterfly steps of a horizontal sum (lane i meets lane i ^ step)
        static final VectorShuffle<Float> X8 = VectorShuffle.fromOp(S, i -> (i ^ 8) & (L - 1));
        static final VectorShuffle<Float> X4 = VectorShuffle.fromOp(S, i -> (i ^ 4) & (L - 1));
        static final VectorShuffle<Float> X2 = VectorShuffle.fromOp(S, i -> (i ^ 2) & (L - 1));
        static final VectorShuffle<Float> X1 = VectorShuffle.fromOp(S, i -> (i ^ 1) & (L - 1));
    }

    /**
     * Sum of the lanes by a butterfly of permutes (about twice as fast as {@code reduceLanes(ADD)}, which JDK 17
     * adds lane by lane); the order is fixed, so results are reproducible.
     */
    static float hsum(FloatVector a) {
        int l = V.L;
        if (l == 16) {
            a = a.add(a.rearrange(V.X8));
        }
        if (l >= 8 && l <= 16) {
            a = a.add(a.rearrange(V.X4));
            a = a.add(a.rearrange(V.X2));
            a = a.add(a.rearrange(V.X1));
            return a.lane(0);
        }
        return a.reduceLanes(VectorOperators.ADD);
    }

    /** Lanes of the preferred species (16 with AVX-512, 8 with AVX2). */
    static int lanes() {
        return V.L;
    }

    /** x·y over the first d entries. */
    static float dot(float[] x, float[] y, int d) {
        VectorSpecies<Float> s = V.S;
        int l = V.L;
        int k = 0;
        float r = 0f;
        if (d >= l) {
            FloatVector a = FloatVector.fromArray(s, x, 0).mul(FloatVector.fromArray(s, y, 0));
            for (k = l; k + l <= d; k += l) {
                a = FloatVector.fromArray(s, x, k).fma(FloatVector.fromArray(s, y, k), a);
            }
            r = hsum(a);
        }
        for (; k < d; k++) {
            r += x[k] * y[k];
        }
        return r;
    }

    /** Σ x[k]² over the first d entries. */
    static float sumSquares(float[] x, int d) {
        return dot(x, x, d);
    }

    /**
     * y[0..d) = Σ_{j<n} coef[j]·rows[j][0..d) (y = 0 when n = 0). Four vectors of y stay in registers while the
     * terms stream past, so each row is read once and y written once.
     */
    static void combine(float[] y, int d, float[] coef, float[][] rows, int n) {
        VectorSpecies<Float> s = V.S;
        int l = V.L;
        int k = 0;
        if (n == 0) {
            java.util.Arrays.fill(y, 0, d, 0f);
            return;
        }
        for (; k + 4 * l <= d; k += 4 * l) {
            FloatVector a0 = FloatVector.zero(s);
            FloatVector a1 = FloatVector.zero(s);
            FloatVector a2 = FloatVector.zero(s);
            FloatVector a3 = FloatVector.zero(s);
            for (int j = 0; j < n; j++) {
                float[] r = rows[j];
                FloatVector cj = FloatVector.broadcast(s, coef[j]);
                a0 = FloatVector.fromArray(s, r, k).fma(cj, a0);
                a1 = FloatVector.fromArray(s, r, k + l).fma(cj, a1);
                a2 = FloatVector.fromArray(s, r, k + 2 * l).fma(cj, a2);
                a3 = FloatVector.fromArray(s, r, k + 3 * l).fma(cj, a3);
            }
            a0.intoArray(y, k);
            a1.intoArray(y, k + l);
            a2.intoArray(y, k + 2 * l);
            a3.intoArray(y, k + 3 * l);
        }
        for (; k + l <= d; k += l) {
            FloatVector a = FloatVector.zero(s);
            for (int j = 0; j < n; j++) {
                a = FloatVector.fromArray(s, rows[j], k).fma(FloatVector.broadcast(s, coef[j]), a);
            }
            a.intoArray(y, k);
        }
        for (; k < d; k++) {
            float a = 0f;
            for (int j = 0; j < n; j++) {
                a += coef[j] * rows[j][k];
            }
            y[k] = a;
        }
    }

    /**
     * out[j] = x·ys[j] for j < n. When d is four vectors (dim 64 with AVX-512, 32 with AVX2) x stays in registers
     * across the n rows.
     */
    static void dots(float[] x, float[][] ys, int n, float[] out, int d) {
        VectorSpecies<Float> s = V.S;
        int l = V.L;
        if (d != 4 * l) {
            for (int j = 0; j < n; j++) {
                out[j] = dot(x, ys[j], d);
            }
            return;
        }
        FloatVector x0 = FloatVector.fromArray(s, x, 0);
        FloatVector x1 = FloatVector.fromArray(s, x, l);
        FloatVector x2 = FloatVector.fromArray(s, x, 2 * l);
        FloatVector x3 = FloatVector.fromArray(s, x, 3 * l);
        for (int j = 0; j < n; j++) {
            float[] y = ys[j];
            FloatVector a = x0.mul(FloatVector.fromArray(s, y, 0));
            FloatVector b = x1.mul(FloatVector.fromArray(s, y, l));
            a = x2.fma(FloatVector.fromArray(s, y, 2 * l), a);
            b = x3.fma(FloatVector.fromArray(s, y, 3 * l), b);
            out[j] = hsum(a.add(b));
        }
    }

    /** y[0..d) += a·x[0..d). */
    static void axpy(float a, float[] x, float[] y, int d) {
        VectorSpecies<Float> s = V.S;
        int l = V.L;
        int k = 0;
        FloatVector av = FloatVector.broadcast(s, a);
        for (; k + l <= d; k += l) {
            FloatVector.fromArray(s, x, k).fma(av, FloatVector.fromArray(s, y, k)).intoArray(y, k);
        }
        for (; k < d; k++) {
            y[k] += a * x[k];
        }
    }

    /** y[off..off+d) += a·x[0..d) (a row inside a heap page). */
    static void axpy(float a, float[] x, float[] y, int off, int d) {
        VectorSpecies<Float> s = V.S;
        int l = V.L;
        int k = 0;
        FloatVector av = FloatVector.broadcast(s, a);
        for (; k + l <= d; k += l) {
            FloatVector.fromArray(s, x, k).fma(av, FloatVector.fromArray(s, y, off + k)).intoArray(y, off + k);
        }
        for (; k < d; k++) {
            y[off + k] += a * x[k];
        }
    }
}
