package dev.ubm.submission;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ubm.core.Json;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

class CombineConfigTest {
    @Test
    void theConfigRoundTripsThroughBlockJson() {
        List<BlockSpec> blocks = List.of(BlockSpec.of(Path.of("a")));
        CombineConfig d = CombineConfig.defaults(blocks, 3);
        CombineConfig c = new CombineConfig(blocks, 512, d.pcaAbove() + 1, d.pcaDims() + 2, d.fitRows() + 3,
                d.quantiles() + 4, d.clip() + 0.5, 3);
        assertEquals(c, CombineConfig.fromMap(Json.parseObject(Json.write(c.toMap())), blocks, 3));
    }
}
