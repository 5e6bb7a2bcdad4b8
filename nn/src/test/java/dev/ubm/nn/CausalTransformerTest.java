package dev.ubm.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("torch")
class CausalTransformerTest {
    @Test
    void outputAtTIsUnaffectedByLaterTokens() {
        Engines.seed(7);
        try (NDManager m = Engines.newManager(ai.djl.Device.cpu())) {
            CausalTransformer tf = CausalTransformer.builder().setDim(16).setHeads(4).setLayers(2).build();
            tf.initialize(m, DataType.FLOAT32, new Shape(2, 6, 16));
            ParameterStore ps = new ParameterStore(m, false);
            NDArray x = m.randomNormal(new Shape(2, 6, 16));
            NDArray y = tf.forward(ps, x, false);
            // change every token after position 3
            NDArray x2 = x.duplicate();
            x2.set(new NDIndex(":, 4:, :"), m.randomNormal(new Shape(2, 2, 16)));
            NDArray y2 = tf.forward(ps, x2, false);
            float[] before = y.get(":, :4, :").toFloatArray();
            float[] after = y2.get(":, :4, :").toFloatArray();
            assertArrayEquals(before, after, 1e-6f);
            float diff = y.get(":, 4:, :").sub(y2.get(":, 4:, :")).abs().max().getFloat();
            assertTrue(diff > 1e-3, "later positions must change, diff " + diff);
        }
    }

    @Test
    void rightPaddingDoesNotChangeRealPositions() {
        Engines.seed(3);
        try (NDManager m = Engines.newManager(ai.djl.Device.cpu())) {
            CausalTransformer tf = CausalTransformer.builder().setDim(8).setHeads(2).setLayers(1).build();
            tf.initialize(m, DataType.FLOAT32, new Shape(1, 3, 8));
            ParameterStore ps = new ParameterStore(m, false);
            NDArray x = m.randomNormal(new Shape(1, 3, 8));
            NDArray padded = x.concat(m.zeros(new Shape(1, 5, 8)), 1);
            float[] a = tf.forward(ps, x, false).toFloatArray();
            float[] b = tf.forward(ps, padded, false).get(":, :3, :").toFloatArray();
            assertEquals(a.length, b.length);
            assertArrayEquals(a, b, 1e-6f);
        }
    }
}
