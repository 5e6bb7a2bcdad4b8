package dev.ubm.gnn;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
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

    /** y[0..d) += a·x[0..d). */
    static void axpy(float a, float[] x, float[] y, int d) {
        axpy(a, x, y, 0, d);
    }

    /** out[0..d) = x[off..off+d) + y[0..d) (a translated copy of a row inside a heap page). */
    static void sum(float[] x, int off, float[] y, float[] out, int d) {
        VectorSpecies<Float> s = V.S;
        int l = V.L;
        int k = 0;
        for (; k + l <= d; k += l) {
            FloatVector.fromArray(s, x, off + k).add(FloatVector.fromArray(s, y, k)).intoArray(out, k);
        }
        for (; k < d; k++) {
            out[k] = x[off + k] + y[k];
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

    /**
     * Scores of rows against negatives stored transposed: out[i·l + j] = xs[i]·(column j of nt) for i &lt; n, j &lt; l,
     * where nt[k·l + j] is entry k of negative j and l is a multiple of the lane count. Lanes are negatives, so no
     * horizontal sum is needed; four rows share each load of nt and each row keeps two accumulators (even and odd
     * k), eight independent chains of fused multiply-adds.
     */
    static void scoresT(float[][] xs, int n, float[] nt, int l, float[] out, int d) {
        VectorSpecies<Float> s = V.S;
        int lanes = V.L;
        for (int jb = 0; jb < l; jb += lanes) {
            int i = 0;
            for (; i + 3 < n; i += 4) {
                float[] x0 = xs[i];
                float[] x1 = xs[i + 1];
                float[] x2 = xs[i + 2];
                float[] x3 = xs[i + 3];
                FloatVector a0 = FloatVector.zero(s);
                FloatVector a1 = FloatVector.zero(s);
                FloatVector a2 = FloatVector.zero(s);
                FloatVector a3 = FloatVector.zero(s);
                FloatVector b0 = FloatVector.zero(s);
                FloatVector b1 = FloatVector.zero(s);
                FloatVector b2 = FloatVector.zero(s);
                FloatVector b3 = FloatVector.zero(s);
                int k = 0;
                for (; k + 1 < d; k += 2) {
                    FloatVector y = FloatVector.fromArray(s, nt, k * l + jb);
                    FloatVector z = FloatVector.fromArray(s, nt, (k + 1) * l + jb);
                    a0 = y.fma(FloatVector.broadcast(s, x0[k]), a0);
                    a1 = y.fma(FloatVector.broadcast(s, x1[k]), a1);
                    a2 = y.fma(FloatVector.broadcast(s, x2[k]), a2);
                    a3 = y.fma(FloatVector.broadcast(s, x3[k]), a3);
                    b0 = z.fma(FloatVector.broadcast(s, x0[k + 1]), b0);
                    b1 = z.fma(FloatVector.broadcast(s, x1[k + 1]), b1);
                    b2 = z.fma(FloatVector.broadcast(s, x2[k + 1]), b2);
                    b3 = z.fma(FloatVector.broadcast(s, x3[k + 1]), b3);
                }
                if (k < d) {
                    FloatVector y = FloatVector.fromArray(s, nt, k * l + jb);
                    a0 = y.fma(FloatVector.broadcast(s, x0[k]), a0);
                    a1 = y.fma(FloatVector.broadcast(s, x1[k]), a1);
                    a2 = y.fma(FloatVector.broadcast(s, x2[k]), a2);
                    a3 = y.fma(FloatVector.broadcast(s, x3[k]), a3);
                }
                a0.add(b0).intoArray(out, i * l + jb);
                a1.add(b1).intoArray(out, (i + 1) * l + jb);
                a2.add(b2).intoArray(out, (i + 2) * l + jb);
                a3.add(b3).intoArray(out, (i + 3) * l + jb);
            }
            for (; i < n; i++) {
                float[] x0 = xs[i];
                FloatVector a0 = FloatVector.zero(s);
                for (int k = 0; k < d; k++) {
                    a0 = FloatVector.fromArray(s, nt, k * l + jb).fma(FloatVector.broadcast(s, x0[k]), a0);
                }
                a0.intoArray(out, i * l + jb);
            }
        }
    }

    /**
     * a[x] = σ(a[x]) · lane[x mod l] for x &lt; n (lane null: just σ), σ(v) = 1 / (1 + e^−v) with the vector
     * exponential {@link #exp}; l is a multiple of the lane count and divides n. Without lane, a scalar tail handles n mod lanes.
     */
    static void sigmoidTimes(float[] a, int n, float[] lane, int l) {
        VectorSpecies<Float> s = V.S;
        int lanes = V.L;
        FloatVector one = FloatVector.broadcast(s, 1f);
        if (lane != null) {
            for (int o = 0; o < n; o += l) {
                for (int jb = 0; jb < l; jb += lanes) {
                    FloatVector v = FloatVector.fromArray(s, a, o + jb);
                    FloatVector e = exp(v.neg());
                    FloatVector.fromArray(s, lane, jb).div(e.add(one)).intoArray(a, o + jb);
                }
            }
            return;
        }
        int x = 0;
        for (; x + lanes <= n; x += lanes) {
            FloatVector v = FloatVector.fromArray(s, a, x);
            one.div(exp(v.neg()).add(one)).intoArray(a, x);
        }
        for (; x < n; x++) {
            a[x] = TwhinWorker.sigmoid(a[x]);
        }
    }

    /**
     * out[i][0..d) = Σ_{j &lt; m} coef[i·l + j]·rows[j][0..d) for i &lt; n: the gradient rows of the chunk's
     * positives from their shared negatives (a small matrix product).
     */
    static void coefTimesRows(float[] coef, int l, int n, float[][] rows, int m, float[][] out, int d) {
        weightedRowSums(coef, l, 1, n, rows, m, out, d);
    }

    /**
     * out[j][0..d) = Σ_{i &lt; n} coef[i·l + j]·xs[i][0..d) for j &lt; m: the gradient rows of the shared negatives,
     * summed over the chunk.
     */
    static void coefColsTimesRows(float[] coef, int l, int n, float[][] xs, int m, float[][] out, int d) {
        weightedRowSums(coef, 1, l, m, xs, n, out, d);
    }

    /**
     * out[o][0..d) = Σ_{t &lt; nSum} coef[o·outStride + t·sumStride]·src[t][0..d) for o &lt; nOut, the one kernel
     * behind both products above. Two output rows share every load of a source row; eight accumulators (two rows ×
     * four vectors) stay in registers.
     */
    private static void weightedRowSums(float[] coef, int outStride, int sumStride, int nOut, float[][] src,
            int nSum, float[][] out, int d) {
        VectorSpecies<Float> s = V.S;
        int lanes = V.L;
        int k = 0;
        for (; k + 4 * lanes <= d; k += 4 * lanes) {
            int k1 = k + lanes;
            int k2 = k + 2 * lanes;
            int k3 = k + 3 * lanes;
            int o = 0;
            for (; o + 1 < nOut; o += 2) {
                FloatVector a0 = FloatVector.zero(s);
                FloatVector a1 = FloatVector.zero(s);
                FloatVector a2 = FloatVector.zero(s);
                FloatVector a3 = FloatVector.zero(s);
                FloatVector b0 = FloatVector.zero(s);
                FloatVector b1 = FloatVector.zero(s);
                FloatVector b2 = FloatVector.zero(s);
                FloatVector b3 = FloatVector.zero(s);
                for (int t = 0, c = o * outStride; t < nSum; t++, c += sumStride) {
                    float[] r = src[t];
                    FloatVector r0 = FloatVector.fromArray(s, r, k);
                    FloatVector r1 = FloatVector.fromArray(s, r, k1);
                    FloatVector r2 = FloatVector.fromArray(s, r, k2);
                    FloatVector r3 = FloatVector.fromArray(s, r, k3);
                    FloatVector x = FloatVector.broadcast(s, coef[c]);
                    FloatVector y = FloatVector.broadcast(s, coef[c + outStride]);
                    a0 = r0.fma(x, a0);
                    a1 = r1.fma(x, a1);
                    a2 = r2.fma(x, a2);
                    a3 = r3.fma(x, a3);
                    b0 = r0.fma(y, b0);
                    b1 = r1.fma(y, b1);
                    b2 = r2.fma(y, b2);
                    b3 = r3.fma(y, b3);
                }
                float[] oa = out[o];
                float[] ob = out[o + 1];
                a0.intoArray(oa, k);
                a1.intoArray(oa, k1);
                a2.intoArray(oa, k2);
                a3.intoArray(oa, k3);
                b0.intoArray(ob, k);
                b1.intoArray(ob, k1);
                b2.intoArray(ob, k2);
                b3.intoArray(ob, k3);
            }
            for (; o < nOut; o++) {
                FloatVector a0 = FloatVector.zero(s);
                FloatVector a1 = FloatVector.zero(s);
                FloatVector a2 = FloatVector.zero(s);
                FloatVector a3 = FloatVector.zero(s);
                for (int t = 0, c = o * outStride; t < nSum; t++, c += sumStride) {
                    float[] r = src[t];
                    FloatVector x = FloatVector.broadcast(s, coef[c]);
                    a0 = FloatVector.fromArray(s, r, k).fma(x, a0);
                    a1 = FloatVector.fromArray(s, r, k1).fma(x, a1);
                    a2 = FloatVector.fromArray(s, r, k2).fma(x, a2);
                    a3 = FloatVector.fromArray(s, r, k3).fma(x, a3);
                }
                float[] oa = out[o];
                a0.intoArray(oa, k);
                a1.intoArray(oa, k1);
                a2.intoArray(oa, k2);
                a3.intoArray(oa, k3);
            }
        }
        for (; k + lanes <= d; k += lanes) {
            for (int o = 0; o < nOut; o++) {
                FloatVector a0 = FloatVector.zero(s);
                for (int t = 0, c = o * outStride; t < nSum; t++, c += sumStride) {
                    a0 = FloatVector.fromArray(s, src[t], k).fma(FloatVector.broadcast(s, coef[c]), a0);
                }
                a0.intoArray(out[o], k);
            }
        }
        for (; k < d; k++) {
            for (int o = 0; o < nOut; o++) {
                float a = 0f;
                for (int t = 0, c = o * outStride; t < nSum; t++, c += sumStride) {
                    a += coef[c] * src[t][k];
                }
                out[o][k] = a;
            }
        }
    }

    /** Σ_{j &lt; l} lane[j]·softplus(a[off + j]), softplus(x) = max(x, 0) + log(1 + e^−|x|); l a multiple of lanes. */
    static float softplusSum(float[] a, int off, float[] lane, int l) {
        VectorSpecies<Float> s = V.S;
        int lanes = V.L;
        FloatVector acc = FloatVector.zero(s);
        for (int jb = 0; jb < l; jb += lanes) {
            FloatVector v = FloatVector.fromArray(s, a, off + jb);
            FloatVector sp = v.max(0f).add(log1pUnit(exp(v.abs().neg())));
            acc = sp.fma(FloatVector.fromArray(s, lane, jb), acc);
        }
        return hsum(acc);
    }

    /**
     * e^x per lane from IEEE add, multiply and fma only (Cephes expf: x = n·ln2 + r, |r| &le; ln2/2, a degree-5
     * polynomial, 2^n through the exponent bits; relative error below 2e-7, x clamped to [-87.3, 88.3]). Not
     * {@code lanewise(EXP)}: that is an SVML call once C2 compiles the loop and {@code Math.exp} per lane before,
     * and the two differ in the last bit, so a run's losses depended on when the JIT kicked in (a resumed training
     * reported another epoch loss than an uninterrupted one).
     */
    static FloatVector exp(FloatVector x) {
        FloatVector c = x.max(-87.3f).min(88.3f);
        // round to nearest by the 1.5·2^23 trick (no vector floor in this API): the sum's low mantissa bits hold n
        FloatVector shifted = c.fma(FloatVector.broadcast(c.species(), 1.44269504088896341f), FloatVector.broadcast(
                c.species(), 12582912f));
        FloatVector n = shifted.sub(12582912f);
        FloatVector r = n.fma(FloatVector.broadcast(c.species(), -0.693359375f), c);
        r = n.fma(FloatVector.broadcast(c.species(), 2.12194440e-4f), r);
        FloatVector p = r.fma(FloatVector.broadcast(c.species(), 1.9875691500e-4f), FloatVector.broadcast(c.species(),
                1.3981999507e-3f));
        p = p.fma(r, FloatVector.broadcast(c.species(), 8.3334519073e-3f));
        p = p.fma(r, FloatVector.broadcast(c.species(), 4.1665795894e-2f));
        p = p.fma(r, FloatVector.broadcast(c.species(), 1.6666665459e-1f));
        p = p.fma(r, FloatVector.broadcast(c.species(), 5.0000001201e-1f));
        FloatVector y = p.fma(r.mul(r), r).add(1f);
        // 2^n: n + 127 in the exponent field; bits(shifted) = 0x4B400000 + n
        IntVector bits = shifted.reinterpretAsInts().add(127 - 0x4B400000).lanewise(VectorOperators.LSHL, 23);
        return y.mul(bits.reinterpretAsFloats());
    }

    /**
     * log(1 + e) per lane for e in [0, 1] from IEEE operations only: 2·atanh(s) with s = e / (2 + e) &le; 1/3, eight
     * terms of its odd series (truncation below 2e-9 relative); deterministic for the same reason as {@link #exp}.
     */
    static FloatVector log1pUnit(FloatVector e) {
        FloatVector sv = e.div(e.add(2f));
        FloatVector s2 = sv.mul(sv);
        FloatVector q = s2.fma(FloatVector.broadcast(e.species(), 1f / 15f), FloatVector.broadcast(e.species(),
                1f / 13f));
        q = q.fma(s2, FloatVector.broadcast(e.species(), 1f / 11f));
        q = q.fma(s2, FloatVector.broadcast(e.species(), 1f / 9f));
        q = q.fma(s2, FloatVector.broadcast(e.species(), 1f / 7f));
        q = q.fma(s2, FloatVector.broadcast(e.species(), 1f / 5f));
        q = q.fma(s2, FloatVector.broadcast(e.species(), 1f / 3f));
        q = q.fma(s2, FloatVector.broadcast(e.species(), 1f));
        return sv.add(sv).mul(q);
    }
}
