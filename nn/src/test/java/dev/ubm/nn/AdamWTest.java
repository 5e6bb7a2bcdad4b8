package dev.ubm.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;

import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("torch")
class AdamWTest {
    @Test
    void adamWFollowsTorchStepForStep() {
        double lr = 1e-3;
        AdamW.Config cfg = AdamW.Config.defaults();
        double wd = cfg.weightDecay();
        double b1 = cfg.beta1();
        double b2 = cfg.beta2();
        double eps = cfg.epsilon();
        float[] w0 = {0.5f, -1.5f, 2e-3f};
        float[][] grads = {{0.1f, -2f, 1e-9f}, {0.3f, 1f, -1e-9f}, {-0.2f, 0.5f, 1e-9f}};
        try (NDManager m = Engines.newManager(Device.cpu())) {
            NDArray w = m.create(w0.clone());
            w.setRequiresGradient(true);
            AdamW opt = new AdamW(List.of(w), cfg, m);
            double[] ref = {w0[0], w0[1], w0[2]};
            double[] mm = new double[3];
            double[] vv = new double[3];
            for (int t = 1; t <= grads.length; t++) {
                try (GradientCollector gc = Engines.torch().newGradientCollector()) {
                    NDArray loss = w.mul(m.create(grads[t - 1])).sum();
                    gc.backward(loss);
                }
                opt.step(lr);
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
        double lr = 1e-3;
        AdamW.Config cfg = AdamW.Config.defaults();
        int rows = 600;
        int cols = 1000;
        assertTrue((long) rows * cols > AdamW.CPU_SLICE, "the tensor is split into slices");
        assertTrue(AdamW.slices(new ai.djl.ndarray.types.Shape(rows, cols), Device.cpu()).size() > 1);
        Random r = new Random(5);
        float[] w0 = new float[rows * cols];
        float[] c = new float[rows * cols];
        for (int i = 0; i < w0.length; i++) {
            w0[i] = (float) r.nextGaussian();
            c[i] = (float) r.nextGaussian();
        }
        try (NDManager m = Engines.newManager(Device.cpu())) {
            NDArray w = m.create(w0, new ai.djl.ndarray.types.Shape(rows, cols));
            w.setRequiresGradient(true);
            NDArray cn = m.create(c, new ai.djl.ndarray.types.Shape(rows, cols));
            AdamW opt = new AdamW(List.of(w), cfg, m);
            for (int t = 0; t < 2; t++) {
                try (GradientCollector gc = Engines.torch().newGradientCollector()) {
                    gc.backward(w.mul(cn).sum());
                }
                opt.step(lr);
            }
            float[] got = w.toFloatArray();
            for (int i : new int[] {0, 1, rows * cols / 2, rows * cols - 1}) {
                // constant gradient g: m_t/(1-b1^t) = g and v_t/(1-b2^t) = g^2, so each step moves by ~lr*sign(g)
                double ref = w0[i];
                double mm = 0;
                double vv = 0;
                for (int t = 1; t <= 2; t++) {
                    ref *= 1 - lr * cfg.weightDecay();
                    mm = cfg.beta1() * mm + (1 - cfg.beta1()) * c[i];
                    vv = cfg.beta2() * vv + (1 - cfg.beta2()) * c[i] * c[i];
                    ref -= lr / (1 - Math.pow(cfg.beta1(), t)) * mm
                            / (Math.sqrt(vv) / Math.sqrt(1 - Math.pow(cfg.beta2(), t)) + cfg.epsilon());
                }
                assertEquals(ref, got[i], 1e-5, "element " + i);
            }
            assertEquals(0f, w.getGradient().abs().max().getFloat(), "gradients are zeroed");
        }
    }

    @Test
    void withClippingANonFiniteGradientSkipsTheStepAndZeroesTheGradients() {
        try (NDManager m = Engines.newManager(Device.cpu())) {
            NDArray w = m.create(new float[] {1f, 2f});
            w.setRequiresGradient(true);
            AdamW opt = new AdamW(List.of(w), AdamW.Config.defaults().withClipNorm(1), m);
            try (GradientCollector gc = Engines.torch().newGradientCollector()) {
                gc.backward(w.mul(m.create(new float[] {3f, 4f})).sum());
            }
            assertEquals(5f, opt.step(1e-3), 1e-6f, "the norm before clipping");
            assertEquals(1, opt.steps());
            float[] before = w.toFloatArray();
            try (GradientCollector gc = Engines.torch().newGradientCollector()) {
                gc.backward(w.mul(m.create(new float[] {Float.NaN, 1f})).sum());
            }
            assertTrue(Float.isNaN(opt.step(1e-3)));
            assertEquals(1, opt.steps(), "the bad step is not counted");
            assertArrayEquals(before, w.toFloatArray());
            assertEquals(0f, w.getGradient().abs().max().getFloat(), "gradients are zeroed");
        }
    }
}
