package dev.ubm.nn.tabular;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("torch")
class TabularBlocksTest {
    private static final float EPS = 1e-5f;

    @Test
    void pleEncodingMatchesTheFormulaIncludingPaddingAndExtrapolation() {
        PleBins bins = PleBins.of(new double[][] {{0, 1, 3, 7}, {2, 6}});
        double[] xs = {-2, 2, 5, 11};
        try (NDManager m = NDManager.newBaseManager()) {
            PiecewiseLinearEmbedding emb = new PiecewiseLinearEmbedding(bins, 4, false);
            float[] in = new float[xs.length * 2];
            for (int i = 0; i < xs.length; i++) {
                in[2 * i] = (float) xs[i];
                in[2 * i + 1] = (float) xs[i];
            }
            NDArray enc = emb.encode(m.create(in, new Shape(xs.length, 2)));
            assertEquals(new Shape(xs.length, 2, 3), enc.getShape());
            float[] got = enc.toFloatArray();
            for (int i = 0; i < xs.length; i++) {
                double[] f0 = bins.encode(0, xs[i]);
                double[] f1 = bins.encode(1, xs[i]);
                for (int t = 0; t < 3; t++) {
                    assertEquals(f0[t], got[(i * 2) * 3 + t], EPS, "feature 0, x=" + xs[i] + ", t=" + t);
                }
                assertEquals(f1[0], got[(i * 2 + 1) * 3], EPS);
                assertEquals(0f, got[(i * 2 + 1) * 3 + 1], EPS, "padding stays 0");
                assertEquals(0f, got[(i * 2 + 1) * 3 + 2], EPS, "padding stays 0");
            }
        }
    }

    @Test
    void versionBStartsAsALinearEmbedding() {
        PleBins bins = PleBins.of(new double[][] {{0, 1, 3, 7}, {2, 6}});
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(3);
            PiecewiseLinearEmbedding emb = new PiecewiseLinearEmbedding(bins, 4, false);
            emb.initialize(m, DataType.FLOAT32, new Shape(1, 2));
            float[] p = emb.getParameters().get("ple_weight").getArray().toFloatArray();
            for (float v : p) {
                assertEquals(0f, v);
            }
            NDArray w = emb.getParameters().get("linear_weight").getArray();
            NDArray b = emb.getParameters().get("linear_bias").getArray();
            NDArray x = m.create(new float[] {5, -1}, new Shape(1, 2));
            NDArray out = emb.forward(new ParameterStore(m, false), new NDList(x), false).singletonOrThrow();
            assertEquals(new Shape(1, 2, 4), out.getShape());
            NDArray expect = x.reshape(2, 1).mul(w).add(b).reshape(1, 2, 4);
            assertArrayEquals(expect.toFloatArray(), out.toFloatArray(), EPS);
        }
    }

    @Test
    void crossLayerEqualsTheFormulaOnATinyTensor() {
        try (NDManager m = NDManager.newBaseManager()) {
            LowRankCrossLayer layer = new LowRankCrossLayer(3, 2);
            layer.initialize(m, DataType.FLOAT32, new Shape(2, 3), new Shape(2, 3));
            float[] u = {1, 0, 0, 1, 1, 1}; // U (3 × 2)
            float[] v = {1, 2, 0, 1, -1, 0}; // V (3 × 2)
            float[] b = {0.5f, -1, 0};
            layer.getParameters().get("U").getArray().set(u);
            layer.getParameters().get("V").getArray().set(v);
            layer.getParameters().get("b").getArray().set(b);
            float[][] x0 = {{1, 2, 3}, {0, -1, 2}};
            float[][] xl = {{2, 0, 1}, {1, 1, 1}};
            NDArray out = layer.forward(new ParameterStore(m, false),
                    new NDList(m.create(x0), m.create(xl)), false).singletonOrThrow();
            float[] got = out.toFloatArray();
            for (int r = 0; r < 2; r++) {
                // hand formula: x0 ⊙ (U (Vᵀ xl) + b) + xl
                double[] vt = new double[2];
                for (int k = 0; k < 2; k++) {
                    for (int i = 0; i < 3; i++) {
                        vt[k] += v[i * 2 + k] * xl[r][i];
                    }
                }
                for (int i = 0; i < 3; i++) {
                    double uv = u[i * 2] * vt[0] + u[i * 2 + 1] * vt[1];
                    double expect = x0[r][i] * (uv + b[i]) + xl[r][i];
                    assertEquals(expect, got[r * 3 + i], EPS, "row " + r + " col " + i);
                }
            }
            // row 0 by hand: Vᵀxl = (2·1 + 1·(−1), 2·2) = (1, 4); U·(1,4) = (1, 4, 5); + b = (1.5, 3, 5)
            // x0 ⊙ … = (1.5, 6, 15); + xl = (3.5, 6, 16)
            assertArrayEquals(new float[] {3.5f, 6f, 16f}, new float[] {got[0], got[1], got[2]}, EPS);
        }
    }

    @Test
    void dcnStructuresHaveTheDocumentedOutputSizes() {
        try (NDManager m = NDManager.newBaseManager()) {
            for (DcnV2.Structure s : DcnV2.Structure.values()) {
                DcnV2 dcn = new DcnV2(10, new DcnV2.Config(s, 2, 4, new int[] {8, 6}, 0f));
                dcn.initialize(m, DataType.FLOAT32, new Shape(5, 10));
                NDArray out = dcn.forward(new ParameterStore(m, false),
                        new NDList(m.randomNormal(new Shape(5, 10))), false).singletonOrThrow();
                int expect = s == DcnV2.Structure.STACKED ? 14 : 24;
                assertEquals(expect, dcn.outputDim());
                assertEquals(new Shape(5, expect), out.getShape());
            }
        }
    }
}
