package dev.ubm.submission;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ColumnScalerTest {
    @Test
    void quantileMatchesSklearnsUniformTransform() {
        // sklearn QuantileTransformer(n_quantiles=5).fit([[0],[0],[0],[1],[2]]): quantiles 0,0,0,1,2
        float[] col = {0, 0, 0, 1, 2};
        ColumnScaler s = ColumnScaler.fit(Scaling.QUANTILE, col, 5, 1, 5, 0);
        float[][] cases = {{0, 0}, {1, 0.75f}, {2, 1}, {0.5f, 0.625f}, {-3, 0}, {9, 1}, {1.5f, 0.875f}};
        for (float[] c : cases) {
            float[] row = {c[0]};
            s.transform(row);
            assertEquals(c[1], row[0], 1e-6, "x = " + c[0]);
        }
    }

    @Test
    void tiesInsideTheRangeLandOnTheirMidRank() {
        float[] col = {0, 1, 1, 1, 2};
        ColumnScaler s = ColumnScaler.fit(Scaling.QUANTILE, col, 5, 1, 5, 0);
        float[] row = {1};
        s.transform(row);
        assertEquals(0.5, row[0], 1e-6);
    }

    @Test
    void standardCentresScalesAndClips() {
        float[] col = {1, 2, 3, 4, 100};
        ColumnScaler s = ColumnScaler.fit(Scaling.STANDARD, col, 5, 1, 10, 1.5);
        float[] row = {100};
        s.transform(row);
        assertEquals(1.5, row[0], 1e-6);
        ColumnScaler constant = ColumnScaler.fit(Scaling.STANDARD, new float[] {3, 3, 3}, 3, 1, 10, 0);
        float[] c = {3};
        constant.transform(c);
        assertEquals(0, c[0]);
    }

    @Test
    void l2ScalesRowsToNormSqrtDimsAndLeavesZeroRowsAlone() {
        ColumnScaler s = ColumnScaler.fit(Scaling.L2, new float[0], 0, 2, 10, 0);
        float[] r = {3, 4};
        s.transform(r);
        assertEquals(0.6 * Math.sqrt(2), r[0], 1e-6);
        assertEquals(0.8 * Math.sqrt(2), r[1], 1e-6);
        float[] z = {0, 0};
        s.transform(z);
        assertEquals(0, z[0]);
    }
}
