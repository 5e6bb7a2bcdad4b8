package dev.ubm.encoders.sequence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SeqInferenceTest {
    @Test
    void columnStatsAreEachColumnsMeanAndInverseStandardDeviation() {
        // 3 rows x 2 columns: column 0 = 1, 2, 3 (mean 2, sd sqrt(2/3)); column 1 constant (flat: 0)
        float[] rows = {1, 5, 2, 5, 3, 5};
        double[][] st = SeqInference.columnStats(rows, 2);
        assertArrayEquals(new double[] {2, 5}, st[0], 1e-12);
        assertEquals(1 / Math.sqrt(2.0 / 3), st[1][0], 1e-9);
        assertEquals(0, st[1][1]);
    }

    @Test
    void standardisedRowsPutEveryColumnOnTheSameScaleBeforeTheRowNorm() {
        // column 0 varies by 1e-3 around -5 (like a rare target's logit), column 1 by 1 around 0
        float[] rows = {-5.001f, 1, -4.999f, -1};
        double[][] st = SeqInference.columnStats(rows, 2);
        SeqInference.standardiseRows(rows, st[0], st[1]);
        float h = (float) Math.sqrt(0.5);
        assertArrayEquals(new float[] {-h, h, h, -h}, rows, 1e-3f);
    }
}
