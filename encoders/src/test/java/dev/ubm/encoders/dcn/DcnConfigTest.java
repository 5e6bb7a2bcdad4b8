package dev.ubm.encoders.dcn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ubm.core.Json;
import dev.ubm.core.Task;
import dev.ubm.nn.tabular.DcnV2;
import dev.ubm.nn.tabular.PleBins;

import java.util.List;

import org.junit.jupiter.api.Test;

class DcnConfigTest {
    @Test
    void theConfigRoundTripsThroughBlockJson() {
        DcnConfig c = new DcnConfig(12, PleBins.Method.TREE, 6, true, DcnV2.Structure.STACKED, 2, 4,
                new int[] {32, 16}, 0.2f, 24, false, DcnConfig.Layer.DCN, List.of(Task.CHURN, Task.PROPENSITY_SKU),
                0.5f, 7, 3, 64, 1e-3f, 1e-4f, 0.25f, 0.5f, 0.2f, 0.15f);
        DcnConfig back = DcnConfig.fromMap(Json.parseObject(Json.write(c.toMap())));
        assertEquals(c.toMap(), back.toMap());
        assertArrayEquals(c.mlpWidths(), back.mlpWidths());
        assertEquals(c.learningRate(), back.learningRate());
        assertEquals(c.tasks(), back.tasks());
    }
}
