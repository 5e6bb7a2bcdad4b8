package dev.ubm.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ubm.core.BadInputException;
import dev.ubm.core.Json;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class FeatureConfigTest {
    private static FeatureConfig throughJson(FeatureConfig c) {
        return FeatureConfig.fromMap(Json.parseObject(Json.write(c.toMap())), c.seed());
    }

    @Test
    void theFullSetRoundTripsThroughBlockJson() {
        FeatureConfig c = new FeatureConfig(FeatureSet.FULL, FeatureConfig.DEFAULT_NUM_DAYS, 10, List.of(2, 9),
                List.of(9), 3.5, 20.0, 45, 17);
        assertEquals(c, throughJson(c));
    }

    @Test
    void theBaselineRoundTripsThroughBlockJson() {
        FeatureConfig c = FeatureConfig.defaults(FeatureSet.BASELINE, 3).withNumDays(List.of(2, 5)).withTopN(4);
        assertEquals(c, throughJson(c));
    }

    @Test
    void aMapWithoutASetIsNotAFeatureConfig() {
        assertThrows(BadInputException.class, () -> FeatureConfig.fromMap(Map.of("dim", 3), 1));
    }
}
