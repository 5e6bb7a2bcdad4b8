package dev.ubm.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("torch")
class CheckpointTest {
    @TempDir
    Path tmp;

    /** Trains a tiny transformer for n steps, optionally saving after k and continuing in a fresh model. */
    private float[] train(int n, int saveAt, Path ckpt) {
        float[] out;
        Engines.seed(5);
        try (NDManager m = Engines.newManager(Device.cpu())) {
            CausalTransformer tf = CausalTransformer.builder().setDim(8).setHeads(2).setLayers(1).build();
            tf.initialize(m, DataType.FLOAT32, new Shape(2, 4, 8));
            AdamW opt = new AdamW(tf, AdamW.Config.defaults(), AdamW::linearWeightsOnly, m);
            int start = 0;
            if (saveAt < 0) {
                Map<String, Object> meta = Checkpoint.load(ckpt, tf, m, opt);
                start = ((Number) meta.get("step")).intValue();
            }
            ParameterStore ps = new ParameterStore(m, false);
            for (int s = start; s < n; s++) {
                try (NDManager sm = m.newSubManager()) {
                    NDArray x = sm.arange(64f).reshape(2, 4, 8).div(64f).add(s * 0.01f);
                    try (GradientCollector gc = Engines.torch().newGradientCollector()) {
                        gc.backward(tf.forward(ps, new NDList(x), true).singletonOrThrow().square().mean());
                    }
                    opt.step(0.01f);
                }
                if (s + 1 == saveAt) {
                    Checkpoint.save(ckpt, Map.of("step", s + 1), tf, opt);
                    return null;
                }
            }
            try (NDManager sm = m.newSubManager()) {
                out = tf.forward(ps, new NDList(sm.ones(new Shape(1, 4, 8))), false).singletonOrThrow().toFloatArray();
            }
        }
        return out;
    }

    @Test
    void resumingFromACheckpointContinuesExactly() {
        Path ckpt = tmp.resolve("a.ckpt");
        float[] straight = train(6, 0, ckpt);
        train(6, 3, ckpt);
        float[] resumed = train(6, -1, ckpt);
        assertArrayEquals(straight, resumed, 1e-6f);
        assertEquals(3, ((Number) Checkpoint.readMeta(ckpt).orElseThrow().get("step")).intValue());
    }

    @Test
    void aMissingOrForeignFileHasNoMeta() throws Exception {
        assertTrue(Checkpoint.readMeta(tmp.resolve("none")).isEmpty());
        java.nio.file.Files.writeString(tmp.resolve("junk"), "not a checkpoint");
        assertTrue(Checkpoint.readMeta(tmp.resolve("junk")).isEmpty());
    }
}
