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
    void adamWFollowsTorchStepForStep() {
        MlpConfig cfg = MlpConfig.FAST;
        double lr = cfg.learningRate();
        double wd = cfg.weightDecay();
        double b1 = cfg.beta1();
        double b2 = cfg.beta2();
        double eps = cfg.epsilon();
        float[] w0 = {0.5f, -1.5f, 2e-3f};
        float[][] grads = {{0.1f, -2f, 1e-9f}, {0.3f, 1f, -1e-9f}, {-0.2f, 0.5f, 1e-9f}};
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray w = m.create(w0.clone());
            w.setRequiresGradient(true);
            TorchAdamW opt = new TorchAdamW(cfg);
            double[] ref = {w0[0], w0[1], w0[2]};
            double[] mm = new double[3];
            double[] vv = new double[3];
            for (int t = 1; t <= grads.length; t++) {
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray loss = w.mul(m.create(grads[t - 1])).sum();
                    gc.backward(loss);
                }
                opt.step(List.of(w));
                for (int i = 0; i < 3; i++) {
                    double g = grads[t - 1][i];
                    ref[i] *= 1 - lr * wd;
                    mm[i] = b1 * mm[i] + (1 - b1) * g;
                    vv[i] = b2 * vv[i] + (1 - b2) * g * g;
                    double denom = Math.sqrt(vv[i]) / Math.sqrt(1 - Math.pow(b2, t)) + eps;
                    ref[i] -= lr / (1 - Math.pow(b1, t)) * mm[i] / denom;
                }
                float[] got = w.toFloatArray();
                for (int i = 0; i < 3; i++) {
                    assertEquals(ref[i], got[i], 1e-6, "step " + t + " weight " + i);
                }
            }
            assertEquals(3, opt.steps());
        }
    }

    @Test
    void adamWOnCacheSizedSlicesUpdatesEveryElement() {
        MlpConfig cfg = MlpConfig.FAST;
        int rows = 600;
        int cols = 1000;
        assertTrue((long) rows * cols > TorchAdamW.CPU_SLICE, "the tensor is split into slices");
        assertTrue(TorchAdamW.slices(new ai.djl.ndarray.types.Shape(rows, cols), Device.cpu()).size() > 1);
        Random r = new Random(5);
        float[] w0 = new float[rows * cols];
        float[] c = new float[rows * cols];
        for (int i = 0; i < w0.length; i++) {
            w0[i] = (float) r.nextGaussian();
            c[i] = (float) r.nextGaussian();
        }
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray w = m.create(w0, new ai.djl.ndarray.types.Shape(rows, cols));
            w.setRequiresGradient(true);
            NDArray cn = m.create(c, new ai.djl.ndarray.types.Shape(rows, cols));
            TorchAdamW opt = new TorchAdamW(cfg);
            for (int t = 0; t < 2; t++) {
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    gc.backward(w.mul(cn).sum());
                }
                opt.step(List.of(w));
            }
            float[] got = w.toFloatArray();
            for (int i : new int[] {0, 1, rows * cols / 2, rows * cols - 1}) {
                // constant gradient g: m_t/(1-b1^t) = g and v_t/(1-b2^t) = g^2, so each step moves by ~lr*sign(g)
                double ref = w0[i];
                double mm = 0;
                double vv = 0;
                for (int t = 1; t <= 2; t++) {
                    ref *= 1 - cfg.learningRate() * cfg.weightDecay();
                    mm = cfg.beta1() * mm + (1 - cfg.beta1()) * c[i];
                    vv = cfg.beta2() * vv + (1 - cfg.beta2()) * c[i] * c[i];
                    ref -= cfg.learningRate() / (1 - Math.pow(cfg.beta1(), t)) * mm
                            / (Math.sqrt(vv) / Math.sqrt(1 - Math.pow(cfg.beta2(), t)) + cfg.epsilon());
                }
                assertEquals(ref, got[i], 1e-5, "element " + i);
            }
            assertEquals(0f, w.getGradient().abs().max().getFloat(), "gradients are zeroed");
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
