package dev.ubm.nn.tabular;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PleBinsTest {
    private static final double EPS = 1e-12;

    @Test
    void encodesInsideTheRangeAsTheFormula() {
        PleBins b = PleBins.of(new double[][] {{0, 1, 3, 7}});
        // x = 2: bin 0 full, bin 1 half, bin 2 empty
        assertArrayEquals(new double[] {1, 0.5, 0}, b.encode(0, 2), EPS);
        // x = 5: bins 0 and 1 full, bin 2 half
        assertArrayEquals(new double[] {1, 1, 0.5}, b.encode(0, 5), EPS);
        // on an edge
        assertArrayEquals(new double[] {1, 1, 0}, b.encode(0, 3), EPS);
        assertArrayEquals(new double[] {0, 0, 0}, b.encode(0, 0), EPS);
    }

    @Test
    void firstComponentExtrapolatesBelowTheFirstEdge() {
        PleBins b = PleBins.of(new double[][] {{0, 1, 3, 7}});
        // first component only clamped from above: (−2 − 0) / 1 = −2; the others clamp to 0
        assertArrayEquals(new double[] {-2, 0, 0}, b.encode(0, -2), EPS);
    }

    @Test
    void lastComponentExtrapolatesAboveTheLastEdge() {
        PleBins b = PleBins.of(new double[][] {{0, 1, 3, 7}});
        // last component only clamped from below: (11 − 3) / 4 = 2; the middle clamps to 1
        assertArrayEquals(new double[] {1, 1, 2}, b.encode(0, 11), EPS);
    }

    @Test
    void singleBinIsAShiftedScalingWithoutClamps() {
        PleBins b = PleBins.of(new double[][] {{2, 6}});
        assertArrayEquals(new double[] {-0.5}, b.encode(0, 0), EPS);
        assertArrayEquals(new double[] {2}, b.encode(0, 10), EPS);
    }

    @Test
    void quantileEdgesAreUniqueInterpolatedQuantiles() {
        double[] v = {0, 1, 2, 3, 4};
        assertArrayEquals(new double[] {0, 1, 2, 3, 4}, PleBins.quantileEdges(v, 4), EPS);
        assertArrayEquals(new double[] {0, 2, 4}, PleBins.quantileEdges(v, 2), EPS);
        // linear interpolation as torch.quantile: q = 1/3 of [0..4] → 4/3
        assertArrayEquals(new double[] {0, 4.0 / 3, 8.0 / 3, 4}, PleBins.quantileEdges(v, 3), EPS);
        // many ties collapse to unique edges
        assertArrayEquals(new double[] {0, 1}, PleBins.quantileEdges(new double[] {0, 0, 0, 0, 1}, 4), EPS);
    }

    @Test
    void constantFeatureGetsOneUnitBin() {
        PleBins b = PleBins.quantile(new float[] {5, 5, 5}, 3, 1, 8, 1);
        assertArrayEquals(new double[] {5, 6}, b.edges(0), EPS);
        assertEquals(1, b.maxBins());
    }

    @Test
    void quantileBinsPerColumnOfARowMajorMatrix() {
        float[] x = {0, 10, 1, 20, 2, 30, 3, 40, 4, 50}; // 5 rows × 2 cols
        PleBins b = PleBins.quantile(x, 5, 2, 2, 1);
        assertArrayEquals(new double[] {0, 2, 4}, b.edges(0), EPS);
        assertArrayEquals(new double[] {10, 30, 50}, b.edges(1), EPS);
    }

    @Test
    void treeEdgesFindTheStepOfAStepFunction() {
        int n = 200;
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i;
            y[i] = i < 120 ? 0 : 1;
        }
        double[] e = PleBins.treeEdges(x, y, 8, 10, 1e-4);
        // min, the step at 119.5, max; a pure step leaves no further split worth 1e-4
        assertArrayEquals(new double[] {0, 119.5, 199}, e, EPS);
    }

    @Test
    void treeRespectsMaxLeaves() {
        int n = 1000;
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i;
            y[i] = Math.sin(i / 30.0);
        }
        double[] e = PleBins.treeEdges(x, y, 5, 10, 0);
        assertEquals(4 + 2, e.length, "4 thresholds for 5 leaves, plus min and max");
        for (int i = 1; i < e.length; i++) {
            assertTrue(e[i] > e[i - 1]);
        }
    }

    @Test
    void rejectsEdgesThatDoNotIncrease() {
        assertThrows(IllegalArgumentException.class, () -> PleBins.of(new double[][] {{0, 0, 1}}));
        assertThrows(IllegalArgumentException.class, () -> PleBins.of(new double[][] {{0}}));
    }
}
