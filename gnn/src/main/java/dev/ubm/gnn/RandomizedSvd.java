package dev.ubm.gnn;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

import java.util.Arrays;

/**
 * Truncated SVD of a sparse matrix by the randomized range finder of Halko, Martinsson and Tropp: Y = (AAᵀ)^q AΩ
 * with Gaussian Ω of k + p columns, Q = orth(Y), B = QᵀA, then the small SVD of B through the eigen-decomposition
 * of BBᵀ (EJML's symmetric eigen-decomposition). Deterministic for a seed: Ω comes from the seed, every reduction runs over fixed row blocks in a fixed
 * order, and each component's sign is fixed (largest |v| entry positive), so the thread count changes nothing.
 * Dense blocks are float (accumulated in double) to halve memory on million-row inputs.
 */
public final class RandomizedSvd {
    private RandomizedSvd() {
    }

    /**
     * A = U diag(σ) Vᵀ truncated to k components.
     *
     * @param u m×k row-major; v n×k row-major; sigma descending
     */
    public record Result(int k, double[] sigma, float[] u, float[] v) {
    }

    public static Result compute(Csr a, int k, int oversample, int powerIters, long seed, int threads) {
        int m = a.rows();
        int n = a.cols();
        if (k < 1 || oversample < 0 || powerIters < 0) {
            throw new IllegalArgumentException("k >= 1, oversample >= 0, powerIters >= 0 required");
        }
        int l = Math.min(k + oversample, Math.min(m, n));
        k = Math.min(k, l);
        if ((long) m * l > Integer.MAX_VALUE - 8 || (long) n * l > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("matrix too large for dense blocks: " + m + "x" + n + " rank " + l);
        }
        Csr at = a.transpose();
        int width = l;
        float[] omega = new float[n * l];
        Parallel.range(n, threads, (from, to) -> {
            Rng rng = new Rng(Rng.derive(seed, 0x5bd, from));
            for (int i = from * width; i < to * width; i++) {
                omega[i] = (float) rng.nextGaussian();
            }
        });
        float[] y = new float[m * l];
        a.multiply(omega, l, y, threads);
        float[] z = omega;
        orthonormalize(y, m, l, threads);
        for (int q = 0; q < powerIters; q++) {
            at.multiply(y, l, z, threads);
            orthonormalize(z, n, l, threads);
            a.multiply(z, l, y, threads);
            orthonormalize(y, m, l, threads);
        }
        at.multiply(y, l, z, threads); // z = AᵀQ = Bᵀ (n×l)
        double[] gram = gram(z, n, l, threads); // B Bᵀ
        double[][] eig = symmetricEigen(gram, l);
        double[] lambda = eig[0];
        double[] w = eig[1];
        double[] sigma = new double[k];
        double[] wk = new double[l * k];
        for (int j = 0; j < k; j++) {
            sigma[j] = Math.sqrt(Math.max(0, lambda[j]));
            for (int i = 0; i < l; i++) {
                wk[i * k + j] = w[i * l + j];
            }
        }
        float[] u = times(y, m, l, wk, k, threads);
        float[] v = times(z, n, l, wk, k, threads);
        for (int j = 0; j < k; j++) {
            double inv = sigma[j] > 0 ? 1 / sigma[j] : 0;
            int arg = 0;
            double best = -1;
            for (int i = 0; i < n; i++) {
                double x = Math.abs(v[i * k + j]);
                if (x > best + 1e-12 * Math.max(1, best)) {
                    best = x;
                    arg = i;
                }
            }
            double sign = v[arg * k + j] < 0 ? -1 : 1;
            for (int i = 0; i < n; i++) {
                v[i * k + j] = (float) (v[i * k + j] * inv * sign);
            }
            if (sign < 0) {
                for (int i = 0; i < m; i++) {
                    u[i * k + j] = -u[i * k + j];
                }
            }
        }
        return new Result(k, sigma, u, v);
    }

    /**
     * Eigen-decomposition of a small symmetric matrix by EJML.
     *
     * @param a symmetric n×n row-major (not modified)
     * @return {eigenvalues descending (length n), eigenvectors as the columns of an n×n row-major matrix}
     */
    static double[][] symmetricEigen(double[] a, int n) {
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, true, true);
        if (!eig.decompose(DMatrixRMaj.wrap(n, n, a.clone()))) {
            throw new IllegalStateException("the eigen-decomposition of a " + n + "x" + n
                    + " Gram matrix did not converge");
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> {
            int c = Double.compare(eig.getEigenvalue(y).real, eig.getEigenvalue(x).real);
            return c != 0 ? c : Integer.compare(x, y);
        });
        double[] vals = new double[n];
        double[] vecs = new double[n * n];
        for (int j = 0; j < n; j++) {
            vals[j] = eig.getEigenvalue(order[j]).real;
            DMatrixRMaj v = eig.getEigenVector(order[j]);
            for (int i = 0; i < n; i++) {
                vecs[i * n + j] = v.get(i);
            }
        }
        return new double[][] {vals, vecs};
    }

    /** XᵀX of a rows×l block, summed over fixed 4096-row blocks in order. */
    static double[] gram(float[] x, int rows, int l, int threads) {
        int block = 4096;
        int blocks = (rows + block - 1) / block;
        double[][] parts = new double[blocks][];
        Parallel.range(blocks, threads, (from, to) -> {
            for (int b = from; b < to; b++) {
                double[] g = new double[l * l];
                int end = Math.min(rows, (b + 1) * block);
                for (int r = b * block; r < end; r++) {
                    int o = r * l;
                    for (int i = 0; i < l; i++) {
                        double xi = x[o + i];
                        if (xi == 0) {
                            continue;
                        }
                        int gi = i * l;
                        for (int j = i; j < l; j++) {
                            g[gi + j] += xi * x[o + j];
                        }
                    }
                }
                parts[b] = g;
            }
        });
        double[] g = new double[l * l];
        for (double[] p : parts) {
            for (int i = 0; i < g.length; i++) {
                g[i] += p[i];
            }
        }
        for (int i = 0; i < l; i++) {
            for (int j = 0; j < i; j++) {
                g[i * l + j] = g[j * l + i];
            }
        }
        return g;
    }

    /**
     * Makes the columns of a rows×l block orthonormal in place (twice: XᵀX = VΛVᵀ, X ← XVΛ^-½), dropping
     * directions with negligible energy (they become zero columns).
     */
    static void orthonormalize(float[] x, int rows, int l, int threads) {
        for (int pass = 0; pass < 2; pass++) {
            double[][] eig = symmetricEigen(gram(x, rows, l, threads), l);
            double[] lambda = eig[0];
            double[] v = eig[1];
            double max = Math.max(lambda[0], 0);
            double[] t = new double[l * l];
            for (int j = 0; j < l; j++) {
                if (lambda[j] > 1e-10 * max && lambda[j] > 0) {
                    double s = 1 / Math.sqrt(lambda[j]);
                    for (int i = 0; i < l; i++) {
                        t[i * l + j] = v[i * l + j] * s;
                    }
                }
            }
            float[] out = times(x, rows, l, t, l, threads);
            System.arraycopy(out, 0, x, 0, out.length);
        }
    }

    /** X (rows×l) × T (l×c) → rows×c. */
    static float[] times(float[] x, int rows, int l, double[] t, int c, int threads) {
        float[] out = new float[rows * c];
        Parallel.range(rows, threads, (from, to) -> {
            double[] acc = new double[c];
            for (int r = from; r < to; r++) {
                Arrays.fill(acc, 0);
                int o = r * l;
                for (int i = 0; i < l; i++) {
                    double xi = x[o + i];
                    if (xi == 0) {
                        continue;
                    }
                    int ti = i * c;
                    for (int j = 0; j < c; j++) {
                        acc[j] += xi * t[ti + j];
                    }
                }
                for (int j = 0; j < c; j++) {
                    out[r * c + j] = (float) acc[j];
                }
            }
        });
        return out;
    }
}
