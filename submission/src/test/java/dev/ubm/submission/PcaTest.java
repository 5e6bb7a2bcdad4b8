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
        Pca p = Pca.fit(x, n, d, 2);
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
    void isDeterministicAndWorksWhenDimsExceedTheRows() {
        int n = 60;
        int d = 80;
        float[] x = planar(n, d, 2);
        Pca p1 = Pca.fit(x, n, d, 5);
        Pca p2 = Pca.fit(x, n, d, 5);
        float[] o1 = new float[5];
        float[] o2 = new float[5];
        float[] row = new float[d];
        System.arraycopy(x, 0, row, 0, d);
        p1.project(row, o1);
        p2.project(row, o2);
        assertArrayEquals(o1, o2);
    }

    @Test
    void componentsAreTheLeadingAxesWithTheLargestCoordinatePositive() {
        // three independent columns with variances 9, 4 and 1: the components are the unit axes in that order
        int n = 4000;
        Random r = new Random(4);
        float[] x = new float[n * 3];
        for (int i = 0; i < n; i++) {
            x[i * 3] = (float) (2 * r.nextGaussian());
            x[i * 3 + 1] = (float) (3 * r.nextGaussian());
            x[i * 3 + 2] = (float) r.nextGaussian();
        }
        Pca p = Pca.fit(x, n, 3, 2);
        float[] origin = new float[2];
        p.project(new float[3], origin);
        float[] out = new float[2];
        p.project(new float[] {0, 1, 0}, out); // minus the origin's projection: the components' second coordinates
        assertEquals(1, out[0] - origin[0], 0.01);
        assertEquals(0, out[1] - origin[1], 0.05);
        p.project(new float[] {1, 0, 0}, out);
        assertEquals(0, out[0] - origin[0], 0.05);
        assertEquals(1, out[1] - origin[1], 0.01);
        assertEquals(13.0 / 14, p.explainedVarianceRatio(), 0.02);
    }
}
