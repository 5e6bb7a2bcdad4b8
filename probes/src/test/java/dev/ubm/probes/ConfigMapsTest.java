package dev.ubm.probes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ubm.core.Json;
import dev.ubm.core.Task;
import dev.ubm.probes.mlp.MlpConfig;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The probe configs come back from their run.json maps as they were. */
class ConfigMapsTest {
    private static Map<String, Object> json(Map<String, Object> m) {
        return Json.parseObject(Json.write(m));
    }

    @Test
    void mlpConfigRoundTrips() {
        assertEquals(MlpConfig.OFFICIAL, MlpConfig.fromMap(json(MlpConfig.OFFICIAL.toMap())));
        assertEquals(MlpConfig.FAST, MlpConfig.fromMap(json(MlpConfig.FAST.toMap())));
    }

    @Test
    void probeRunConfigRoundTrips() {
        ProbeRunner.Config c = new ProbeRunner.Config(ProbeKind.LINEAR, List.of(Task.CHURN, Task.PROPENSITY_SKU), 7,
                true, false);
        assertEquals(c, ProbeRunner.Config.fromMap(json(c.toMap()), 7, false));
    }
}
