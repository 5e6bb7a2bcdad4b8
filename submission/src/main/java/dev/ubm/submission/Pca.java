package dev.ubm.submission;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Principal components of a sample: the covariance matrix (double precision, accumulated over blocks of rows) and
 * its symmetric eigen-decomposition by EJML; the components are the eigenvectors of the k largest eigenvalues.
 * Exact and deterministic (no random start); each component's largest coordinate is made positive (as sklearn's
 * svd_flip does) so signs do not flip between runs.
 */
final class Pca {
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
    static Pca fit(float[] x, int rows, int dims, int k) {
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
        DMatrixRMaj cov = covariance(x, rows, dims, mean);
        double trace = CommonOps_DDRM.trace(cov);
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(dims, true, true);
        if (!eig.decompose(cov)) {
            throw new IllegalStateException("the eigen-decomposition of a " + dims + "x" + dims
                    + " covariance did not converge");
        }
        Integer[] order = new Integer[dims];
        for (int i = 0; i < dims; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> {
            int c = Double.compare(eig.getEigenvalue(b).real, eig.getEigenvalue(a).real);
            return c != 0 ? c : Integer.compare(a, b);
        });
        float[][] comps = new float[k][dims];
        double kept = 0;
        for (int p = 0; p < k; p++) {
            kept += Math.max(0, eig.getEigenvalue(order[p]).real);
            DMatrixRMaj v = eig.getEigenVector(order[p]);
            int arg = 0;
            for (int j = 1; j < dims; j++) {
                if (Math.abs(v.get(j)) > Math.abs(v.get(arg))) {
                    arg = j;
                }
            }
            double sign = v.get(arg) < 0 ? -1 : 1;
            for (int j = 0; j < dims; j++) {
                comps[p][j] = (float) (sign * v.get(j));
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
    private static DMatrixRMaj covariance(float[] x, int rows, int dims, double[] mean) {
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
        DMatrixRMaj c = new DMatrixRMaj(dims, dims);
        double n = Math.max(1, rows - 1);
        for (int i = 0; i < dims; i++) {
            for (int j = i; j < dims; j++) {
                c.unsafe_set(i, j, cov[i][j] / n);
                c.unsafe_set(j, i, cov[i][j] / n);
            }
        }
        return c;
    }
}
