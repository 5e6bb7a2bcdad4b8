package dev.ubm.nn.tabular;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ColumnsTest {
    @Test
    void standardisingCentresAndScalesColumns() {
        float[] d = {1, 10, 3, 10, 5, 10};
        Columns.standardise(d, 3, 2, 0);
        assertEquals(0f, d[2], 1e-6);
        assertEquals(-d[0], d[4], 1e-6);
        assertEquals(0f, d[1], 1e-6);
    }

    @Test
    void standardisingAConstantColumnGivesZeros() {
        float[] emb = {1f, 5f, 2f, 5f, 3f, 5f};
        Columns.standardise(emb, 3, 2, 0);
        assertArrayEquals(new float[] {-1.2247449f, 0f, 0f, 0f, 1.2247449f, 0f}, emb, 1e-5f);
    }

    @Test
    void columnsBeforeFromAreLeftAsTheyAre() {
        float[] emb = {7f, 1f, 8f, 3f};
        Columns.standardise(emb, 2, 2, 1);
        assertArrayEquals(new float[] {7f, -1f, 8f, 1f}, emb, 1e-6f);
    }
}
