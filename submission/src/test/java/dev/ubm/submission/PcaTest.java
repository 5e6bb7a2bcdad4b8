package dev.ubm.submission;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

class PcaTest {
    /** Rows a*u + b*v + tiny noise in 12 dims: two components explain everything. */
    private static float[] planar(int rows, int dims, long seed) {
        Random r = new Random(seed);
        double[] u = new double[dims];
        double[] v = new double[dims];
        for (int j = 0; j < dims; j++) {
            u[j] = r.nextGaussian();
            v[j] = r.nextGaussian();
        }
        float[] x = new float[rows * dims];
        for (int i = 0; i < rows; i++) {
            double a = 3 * r.nextGaussian();
            double b = r.nextGaussian();
            for (int j = 0; j < dims; j++) {
                x[i * dims + j] = (float) (5 + a * u[j] + b * v[j] + 1e-3 * r.nextGaussian());
            }
        }
        return x;
    }

    @Test
    void findsTheSubspaceThatHoldsTheVariance() {
        int n = 200;
        int d = 12;
        float[] x = planar(n, d, 1);
        Pca p = Pca.fit(x, n, d, 2, 7);
        assertTrue(p.explainedVarianceRatio() > 0.999, "explained " + p.explainedVarianceRatio());
        // projections keep the distances between rows (they lie in the plane)
        float[] a = new float[2];
        float[] b = new float[2];
        float[] ra = new float[d];
        float[] rb = new float[d];
        System.arraycopy(x, 0, ra, 0, d);
        System.arraycopy(x, d, rb, 0, d);
        p.project(ra, a);
        p.project(rb, b);
        double dist = 0;
        double proj = 0;
        for (int j = 0; j < d; j++) {
            dist += (ra[j] - rb[j]) * (ra[j] - rb[j]);
        }
        proj = (a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1]);
        assertEquals(Math.sqrt(dist), Math.sqrt(proj), 1e-2);
    }

    @Test
    void isDeterministicForASeedAndWorksWhenDimsExceedTheOversampledRank() {
        int n = 60;
        int d = 80;
        float[] x = planar(n, d, 2);
        Pca p1 = Pca.fit(x, n, d, 5, 3);
        Pca p2 = Pca.fit(x, n, d, 5, 3);
        float[] o1 = new float[5];
        float[] o2 = new float[5];
        float[] row = new float[d];
        System.arraycopy(x, 0, row, 0, d);
        p1.project(row, o1);
        p2.project(row, o2);
        assertArrayEquals(o1, o2);
    }

    @Test
    void jacobiDiagonalisesASymmetricMatrix() {
        double[][] a = {{4, 1, 2}, {1, 3, 0}, {2, 0, 5}};
        double[][] copy = {{4, 1, 2}, {1, 3, 0}, {2, 0, 5}};
        double[] eig = new double[3];
        double[][] v = Pca.jacobi(a, eig);
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < 3; i++) {
                double av = 0;
                for (int k = 0; k < 3; k++) {
                    av += copy[i][k] * v[k][c];
                }
                assertEquals(eig[c] * v[i][c], av, 1e-9);
            }
        }
        assertEquals(12, eig[0] + eig[1] + eig[2], 1e-9);
    }
}
