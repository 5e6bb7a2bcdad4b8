package dev.ubm.probes.tabular;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ubm.core.Task;
import dev.ubm.probes.Planted;
import dev.ubm.probes.Probe;
import dev.ubm.probes.ProbeRunner;
import dev.ubm.probes.metrics.TaskScore;

import java.util.List;

import org.junit.jupiter.api.Test;

class TabularProbeTest {
    private static TaskScore fit(Probe p, Planted w) {
        List<TaskScore> s = p.fit(w.x, w.targets, ProbeRunner.validator(w.targets));
        assertEquals(1, s.size(), "one result (no epochs)");
        return s.get(0);
    }

    @Test
    void xgboostFindsAPlantedLabelAndNothingInNoise() {
        XgboostProbe p = new XgboostProbe(XgboostProbe.Config.DEFAULT);
        assertTrue(fit(p, Planted.signal(Task.CHURN, 400, 4, 1)).auroc() > 0.99);
        assertTrue(fit(p, Planted.signal(Task.PROPENSITY_SKU, 400, 4, 2)).auroc() > 0.99);
        double noise = fit(p, Planted.noise(Task.CONVERSION, 600, 6, 3)).auroc();
        assertTrue(noise > 0.4 && noise < 0.6, "random embedding: " + noise);
    }

    @Test
    void linearFindsAPlantedLabelAndNothingInNoise() {
        LinearProbe p = new LinearProbe(LinearProbe.Config.DEFAULT);
        assertTrue(fit(p, Planted.signal(Task.CONVERSION, 400, 4, 4)).auroc() > 0.99);
        TaskScore s = fit(p, Planted.signal(Task.PROPENSITY_CATEGORY, 400, 4, 5));
        assertTrue(s.auroc() > 0.99, "planted propensity: " + s);
        assertTrue(s.diversity() > 0 && s.diversity() <= 1 && s.novelty() >= 0 && s.novelty() <= 1, s.toString());
        double noise = fit(p, Planted.noise(Task.CHURN, 600, 6, 6)).auroc();
        assertTrue(noise > 0.4 && noise < 0.6, "random embedding: " + noise);
    }
}
