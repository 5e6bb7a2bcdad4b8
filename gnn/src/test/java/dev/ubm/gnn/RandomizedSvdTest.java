package dev.ubm.gnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.SingularOps_DDRM;
import org.junit.jupiter.api.Test;

class RandomizedSvdTest {
    /** A = U diag(s) Vᵀ with orthonormal U (m×r), V (n×r) from Gram–Schmidt on random columns. */
    private static double[] lowRank(int m, int n, double[] s, long seed) {
        int r = s.length;
        double[] u = orthonormalColumns(m, r, new Rng(seed));
        double[] v = orthonormalColumns(n, r, new Rng(seed + 1));
        double[] a = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double x = 0;
                for (int k = 0; k < r; k++) {
                    x += u[i * r + k] * s[k] * v[j * r + k];
                }
                a[i * n + j] = x;
            }
        }
        return a;
    }

    private static double[] orthonormalColumns(int rows, int r, Rng rng) {
        double[] q = new double[rows * r];
        for (int k = 0; k < r; k++) {
            for (int i = 0; i < rows; i++) {
                q[i * r + k] = rng.nextGaussian();
            }
            for (int p = 0; p < k; p++) {
                double d = 0;
                for (int i = 0; i < rows; i++) {
                    d += q[i * r + k] * q[i * r + p];
                }
                for (int i = 0; i < rows; i++) {
                    q[i * r + k] -= d * q[i * r + p];
                }
            }
            double norm = 0;
            for (int i = 0; i < rows; i++) {
                norm += q[i * r + k] * q[i * r + k];
            }
            for (int i = 0; i < rows; i++) {
                q[i * r + k] /= Math.sqrt(norm);
            }
        }
        return q;
    }

    @Test
    void recoversAKnownLowRankMatrix() {
        int m = 80;
        int n = 50;
        double[] s = {10, 5, 2};
        double[] a = lowRank(m, n, s, 11);
        RandomizedSvd.Result r = RandomizedSvd.compute(Csr.fromDense(a, m, n), 3, 5, 2, 42, 1);
        assertArrayEquals(s, r.sigma(), 1e-4);
        double err = 0;
        double norm = 0;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double x = 0;
                for (int k = 0; k < 3; k++) {
                    x += r.u()[i * 3 + k] * r.sigma()[k] * r.v()[j * 3 + k];
                }
                err += (x - a[i * n + j]) * (x - a[i * n + j]);
                norm += a[i * n + j] * a[i * n + j];
            }
        }
        assertEquals(0, Math.sqrt(err / norm), 1e-5, "relative reconstruction error");
        // U has orthonormal columns
        for (int p = 0; p < 3; p++) {
            for (int q = 0; q < 3; q++) {
                double d = 0;
                for (int i = 0; i < m; i++) {
                    d += r.u()[i * 3 + p] * r.u()[i * 3 + q];
                }
                assertEquals(p == q ? 1 : 0, d, 1e-5);
            }
        }
    }

    @Test
    void leadingSingularValuesOfAFullRankMatrixMatchTheExactOnes() {
        // diag-dominant spectrum plus small noise: the top 2 values are found to high accuracy with power iterations
        int m = 60;
        int n = 40;
        double[] a = lowRank(m, n, new double[] {20, 8, 0.5, 0.4, 0.3}, 3);
        double[] exact = SingularOps_DDRM.singularValues(DMatrixRMaj.wrap(m, n, a.clone()));
        Arrays.sort(exact);
        RandomizedSvd.Result r = RandomizedSvd.compute(Csr.fromDense(a, m, n), 2, 10, 2, 1, 1);
        assertEquals(exact[n - 1], r.sigma()[0], 1e-4);
        assertEquals(exact[n - 2], r.sigma()[1], 1e-4);
    }

    @Test
    void sameSeedSameResultWhateverTheThreadCount() {
        Rng rng = new Rng(9);
        int m = 9000; // more than two row blocks, so threads really split the work
        int n = 300;
        int nnz = 40000;
        int[] r = new int[nnz];
        int[] c = new int[nnz];
        float[] v = new float[nnz];
        for (int i = 0; i < nnz; i++) {
            r[i] = rng.nextInt(m);
            c[i] = rng.nextInt(n);
            v[i] = 1 + rng.nextInt(5);
        }
        Csr a = Csr.fromTriples(m, n, r, c, v, nnz).log1p().normalizeRows();
        RandomizedSvd.Result one = RandomizedSvd.compute(a, 8, 6, 2, 5, 1);
        RandomizedSvd.Result two = RandomizedSvd.compute(a, 8, 6, 2, 5, 2);
        RandomizedSvd.Result again = RandomizedSvd.compute(a, 8, 6, 2, 5, 1);
        assertArrayEquals(one.u(), two.u());
        assertArrayEquals(one.u(), again.u());
        assertArrayEquals(one.sigma(), two.sigma());
    }

    @Test
    void csrSumsDuplicatesAndNormalisesRows() {
        Csr a = Csr.fromTriples(3, 4, new int[] {0, 0, 2, 0}, new int[] {1, 3, 0, 1}, new float[] {1, 4, 2, 2}, 4);
        assertEquals(3, a.nnz());
        Csr t = a.transpose();
        float[] x = {1, 0, 0, 1, 0, 0, 0, 1}; // 4x2: picks columns 0 and ... as a dense probe
        float[] out = new float[3 * 2];
        a.multiply(x, 2, out, 1);
        assertArrayEquals(new float[] {0, 3 + 4, 0, 0, 2, 0}, out);
        assertEquals(4, t.rows());
        Csr nrm = a.normalizeRows();
        float[] o2 = new float[6];
        nrm.multiply(new float[] {0, 0, 1, 0, 0, 0, 0, 1}, 2, o2, 1);
        assertEquals(3 / 5f, o2[0], 1e-6); // row 0 is (0, 3, 0, 4) / 5
        assertEquals(4 / 5f, o2[1], 1e-6);
    }
}
