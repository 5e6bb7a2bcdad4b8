package dev.ubm.probes.mlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ubm.core.Task;
import dev.ubm.probes.Planted;
import dev.ubm.probes.ProbeRunner;
import dev.ubm.probes.metrics.TaskScore;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.util.Pair;

import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("torch")
class MlpProbeTest {
    @Test
    void theOfficialNetHasTheOrganisersShapeAndInitialisation() {
        MlpConfig cfg = MlpConfig.OFFICIAL;
        assertEquals(51_030_017L, cfg.parameterCount(320, 1), "about 51.0M parameters at D=320");
        assertEquals(51_232_868L, cfg.parameterCount(320, 100), "torch's count for the propensity net");
        MlpProbe probe = new MlpProbe("official", cfg, Device.cpu());
        try (MlpProbe.Session s = probe.open(320, 1)) {
            assertEquals(51_030_017L, s.parameterCount());
            int linears = 0;
            for (Pair<String, Parameter> p : s.block().getParameters()) {
                NDArray a = p.getValue().getArray();
                if (p.getValue().getType() == Parameter.Type.WEIGHT) {
                    linears++;
                    long fanIn = a.getShape().get(1);
                    float max = a.abs().max().getFloat();
                    assertTrue(max <= 1 / Math.sqrt(fanIn) + 1e-6 && max > 0.9 / Math.sqrt(fanIn),
                            p.getKey() + " uniform in ±1/sqrt(" + fanIn + "): max " + max);
                }
                if (p.getValue().getType() == Parameter.Type.GAMMA) {
                    assertEquals(1f, a.min().getFloat());
                }
            }
            assertEquals(8, linears, "input, 3 x 2 in the blocks, output");
            // one step of the full network on a small batch: finite loss, weights move
            Random r = new Random(1);
            float[] x = new float[4 * 320];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) r.nextGaussian();
            }
            float[] before = s.block().getParameters().get(0).getValue().getArray().toFloatArray();
            float loss = s.step(x, new float[] {1, 0, 0, 1}, 4);
            assertTrue(Float.isFinite(loss) && loss > 0.1 && loss < 5, "loss " + loss);
            float[] after = s.block().getParameters().get(0).getValue().getArray().toFloatArray();
            assertNotEquals(before[0], after[0]);
        }
    }

    @Test
    void lossIsTorchsBinaryCrossEntropyWithLogits() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            float[] x = {-30f, -1f, 0f, 2f, 40f, 0.5f};
            float[] y = {0f, 1f, 1f, 0f, 1f, 0f};
            double ref = 0;
            for (int i = 0; i < x.length; i++) {
                double p = 1 / (1 + Math.exp(-x[i]));
                ref += -(y[i] * Math.log(Math.max(p, 1e-300)) + (1 - y[i]) * Math.log(Math.max(1 - p, 1e-300)));
            }
            float got = MlpProbe.bceWithLogits(m.create(x), m.create(y)).getFloat();
            assertEquals(ref / x.length, got, 1e-5);
        }
    }

    @Test
    void theFastProbeLearnsAPlantedLabelInThreeEpochs() {
        MlpProbe p = new MlpProbe("fast", MlpConfig.FAST.withWidths(64, 128), Device.cpu());
        Planted w = Planted.signal(Task.CHURN, 512, 4, 11);
        List<TaskScore> s = p.fit(w.x, w.targets, ProbeRunner.validator(w.targets));
        assertEquals(3, s.size());
        assertTrue(s.get(2).auroc() > 0.95, "planted: " + s);
        Planted prop = Planted.signal(Task.PROPENSITY_PRICE, 512, 4, 12);
        TaskScore ps = p.fit(prop.x, prop.targets, ProbeRunner.validator(prop.targets)).get(2);
        assertTrue(ps.auroc() > 0.9, "planted propensity: " + ps);
        Planted noise = Planted.noise(Task.CONVERSION, 512, 8, 13);
        double a = p.fit(noise.x, noise.targets, ProbeRunner.validator(noise.targets)).get(2).auroc();
        assertTrue(a > 0.4 && a < 0.6, "random embedding: " + a);
    }

    @Test
    void theSameSeedGivesTheSameScores() {
        MlpProbe p = new MlpProbe("fast", MlpConfig.FAST.withWidths(32, 64).withEpochs(1), Device.cpu());
        Planted w = Planted.noise(Task.CHURN, 300, 5, 21);
        double a = p.fit(w.x, w.targets, ProbeRunner.validator(w.targets)).get(0).auroc();
        double b = p.fit(w.x, w.targets, ProbeRunner.validator(w.targets)).get(0).auroc();
        assertEquals(a, b, 0.0);
    }
}
