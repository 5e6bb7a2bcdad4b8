package dev.ubm.submission;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Principal components of a sample: the covariance matrix (blocked, double precision), its top-k eigenvectors by
 * subspace (power) iteration from a seeded Gaussian start, refined by a Rayleigh-Ritz step with Jacobi's method.
 * Deterministic for a seed; each component's largest coordinate is made positive (as sklearn's svd_flip does) so
 * signs do not flip between runs.
 */
final class Pca {
    private static final int ITERATIONS = 15;
    private static final int OVERSAMPLE = 16;

    private final int dims;
    private final int k;
    private final double[] mean;
    private final float[][] components;
    private final double explained;

    private Pca(int dims, double[] mean, float[][] components, double explained) {
        this.dims = dims;
        this.k = components.length;
        this.mean = mean;
        this.components = components;
        this.explained = explained;
    }

    int outputDims() {
        return k;
    }

    /** Share of the sample's total variance the kept components explain. */
    double explainedVarianceRatio() {
        return explained;
    }

    /** Fits k components on {@code rows} rows of {@code x} (row-major, {@code dims} wide). */
    static Pca fit(float[] x, int rows, int dims, int k, long seed) {
        if (k < 1 || k > dims) {
            throw new IllegalArgumentException("PCA to " + k + " of " + dims + " dims");
        }
        double[] mean = new double[dims];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < dims; j++) {
                mean[j] += x[r * dims + j];
            }
        }
        for (int j = 0; j < dims; j++) {
            mean[j] /= Math.max(1, rows);
        }
        double[][] cov = covariance(x, rows, dims, mean);
        double trace = 0;
        for (int j = 0; j < dims; j++) {
            trace += cov[j][j];
        }
        int l = Math.min(dims, k + OVERSAMPLE);
        Random rnd = new Random(seed);
        double[][] q = new double[l][dims];
        for (double[] v : q) {
            for (int j = 0; j < dims; j++) {
                v[j] = rnd.nextGaussian();
            }
        }
        orthonormalize(q);
        int iterations = l == dims ? 1 : ITERATIONS;
        for (int it = 0; it < iterations; it++) {
            q = multiply(cov, q);
            orthonormalize(q);
        }
        double[][] cq = multiply(cov, q);
        double[][] t = new double[l][l];
        for (int i = 0; i < l; i++) {
            for (int j = i; j < l; j++) {
                t[i][j] = t[j][i] = dot(q[i], cq[j]);
            }
        }
        double[] eig = new double[l];
        double[][] vec = jacobi(t, eig);
        Integer[] order = new Integer[l];
        for (int i = 0; i < l; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(eig[b], eig[a]));
        float[][] comps = new float[k][dims];
        double kept = 0;
        for (int p = 0; p < k; p++) {
            int c = order[p];
            kept += Math.max(0, eig[c]);
            double[] v = new double[dims];
            for (int i = 0; i < l; i++) {
                double w = vec[i][c];
                for (int j = 0; j < dims; j++) {
                    v[j] += w * q[i][j];
                }
            }
            int arg = 0;
            for (int j = 1; j < dims; j++) {
                if (Math.abs(v[j]) > Math.abs(v[arg])) {
                    arg = j;
                }
            }
            double sign = v[arg] < 0 ? -1 : 1;
            for (int j = 0; j < dims; j++) {
                comps[p][j] = (float) (sign * v[j]);
            }
        }
        return new Pca(dims, mean, comps, trace > 0 ? kept / trace : 0);
    }

    /** Projects one centred row onto the components. */
    void project(float[] in, float[] out) {
        double[] c = new double[dims];
        for (int j = 0; j < dims; j++) {
            c[j] = in[j] - mean[j];
        }
        for (int p = 0; p < k; p++) {
            float[] w = components[p];
            double s = 0;
            for (int j = 0; j < dims; j++) {
                s += w[j] * c[j];
            }
            out[p] = (float) s;
        }
    }

    /** Sample covariance (divided by rows - 1), accumulated over blocks of rows, rows of C in parallel. */
    private static double[][] covariance(float[] x, int rows, int dims, double[] mean) {
        double[][] cov = new double[dims][dims];
        int block = 256;
        double[][] xt = new double[dims][block];
        for (int r0 = 0; r0 < rows; r0 += block) {
            int b = Math.min(block, rows - r0);
            for (int r = 0; r < b; r++) {
                for (int j = 0; j < dims; j++) {
                    xt[j][r] = x[(r0 + r) * dims + j] - mean[j];
                }
            }
            final int bb = b;
            IntStream.range(0, dims).parallel().forEach(i -> {
                double[] xi = xt[i];
                double[] ci = cov[i];
                for (int j = i; j < dims; j++) {
                    double[] xj = xt[j];
                    double s = 0;
                    for (int r = 0; r < bb; r++) {
                        s += xi[r] * xj[r];
                    }
                    ci[j] += s;
                }
            });
        }
        double n = Math.max(1, rows - 1);
        for (int i = 0; i < dims; i++) {
            for (int j = i; j < dims; j++) {
                cov[i][j] /= n;
                cov[j][i] = cov[i][j];
            }
        }
        return cov;
    }

    /** C times each vector of q (C symmetric). */
    private static double[][] multiply(double[][] c, double[][] q) {
        int d = c.length;
        double[][] out = new double[q.length][d];
        IntStream.range(0, q.length).parallel().forEach(v -> {
            double[] qv = q[v];
            double[] o = out[v];
            for (int i = 0; i < d; i++) {
                o[i] = dot(c[i], qv);
            }
        });
        return out;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /** Modified Gram-Schmidt; a vector that collapses is replaced by a unit basis vector orthogonal enough. */
    private static void orthonormalize(double[][] q) {
        for (int i = 0; i < q.length; i++) {
            double[] v = q[i];
            for (int pass = 0; pass < 2; pass++) {
                for (int j = 0; j < i; j++) {
                    double p = dot(q[j], v);
                    for (int t = 0; t < v.length; t++) {
                        v[t] -= p * q[j][t];
                    }
                }
            }
            double n = Math.sqrt(dot(v, v));
            if (n < 1e-12) {
                Arrays.fill(v, 0);
                v[i % v.length] = 1;
                for (int j = 0; j < i; j++) {
                    double p = dot(q[j], v);
                    for (int t = 0; t < v.length; t++) {
                        v[t] -= p * q[j][t];
                    }
                }
                n = Math.sqrt(dot(v, v));
                if (n < 1e-12) {
                    continue;
                }
            }
            for (int t = 0; t < v.length; t++) {
                v[t] /= n;
            }
        }
    }

    /** Cyclic Jacobi eigen-decomposition of a symmetric matrix (destroyed); eigenvectors are the columns. */
    static double[][] jacobi(double[][] a, double[] eig) {
        int n = a.length;
        double[][] v = new double[n][n];
        for (int i = 0; i < n; i++) {
            v[i][i] = 1;
        }
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            double diag = 0;
            for (int i = 0; i < n; i++) {
                diag += a[i][i] * a[i][i];
                for (int j = i + 1; j < n; j++) {
                    off += a[i][j] * a[i][j];
                }
            }
            if (off <= 1e-24 * Math.max(diag, 1e-300)) {
                break;
            }
            for (int p = 0; p < n; p++) {
                for (int r = p + 1; r < n; r++) {
                    double apr = a[p][r];
                    if (Math.abs(apr) < 1e-300) {
                        continue;
                    }
                    double theta = (a[r][r] - a[p][p]) / (2 * apr);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) {
                        t = 1;
                    }
                    double c = 1 / Math.sqrt(t * t + 1);
                    double s = t * c;
                    for (int k = 0; k < n; k++) {
                        double akp = a[k][p];
                        double akr = a[k][r];
                        a[k][p] = c * akp - s * akr;
                        a[k][r] = s * akp + c * akr;
                    }
                    for (int k = 0; k < n; k++) {
                        double apk = a[p][k];
                        double ark = a[r][k];
                        a[p][k] = c * apk - s * ark;
                        a[r][k] = s * apk + c * ark;
                    }
                    for (int k = 0; k < n; k++) {
                        double vkp = v[k][p];
                        double vkr = v[k][r];
                        v[k][p] = c * vkp - s * vkr;
                        v[k][r] = s * vkp + c * vkr;
                    }
                }
            }
        }
        for (int i = 0; i < n; i++) {
            eig[i] = a[i][i];
        }
        return v;
    }
}
