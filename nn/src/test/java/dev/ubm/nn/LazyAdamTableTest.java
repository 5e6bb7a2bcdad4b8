package dev.ubm.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("torch")
class LazyAdamTableTest {
    @Test
    void onlyTheRowsOfTheBatchMoveAndTheyMoveLikeAdam() {
        try (NDManager m = Engines.newManager(Device.cpu())) {
            float[] init = new float[5 * 2];
            for (int i = 0; i < init.length; i++) {
                init[i] = i;
            }
            Parameter p = Parameter.builder().setName("table").setType(Parameter.Type.WEIGHT)
                    .optArray(m.create(init, new Shape(5, 2))).optRequiresGrad(false).build();
            LazyAdamTable opt = new LazyAdamTable(p, new AdamW.Config(0.9f, 0.999f, 1e-8f, 0f, 0f), m);
            try (NDManager sm = m.newSubManager()) {
                NDArray rows = sm.create(new long[] {1, 3});
                NDArray sub = opt.gather(sm, rows);
                try (GradientCollector gc = Engines.torch().newGradientCollector()) {
                    // loss = sum(sub * [1, -2]) -> grad rows = [1, -2]
                    gc.backward(sub.mul(sm.create(new float[] {1, -2})).sum());
                }
                opt.step(sm, sub, rows, 0.1f);
            }
            float[] after = p.getArray().toFloatArray();
            // Adam's first step moves every coordinate by lr * sign(grad) (bias-corrected)
            assertArrayEquals(new float[] {0, 1, 2 - 0.1f, 3 + 0.1f, 4, 5, 6 - 0.1f, 7 + 0.1f, 8, 9}, after, 1e-5f);
            assertEquals(1, opt.steps());
        }
    }

    @Test
    void tableMustNotRequireAGradient() {
        try (NDManager m = Engines.newManager(Device.cpu())) {
            Parameter p = Parameter.builder().setName("t").setType(Parameter.Type.WEIGHT)
                    .optArray(m.zeros(new Shape(2, 2))).build();
            try {
                new LazyAdamTable(p, AdamW.Config.defaults(), m);
                assertTrue(false, "expected an exception");
            } catch (IllegalArgumentException expected) {
                assertTrue(expected.getMessage().contains("gradient"));
            }
        }
    }
}
