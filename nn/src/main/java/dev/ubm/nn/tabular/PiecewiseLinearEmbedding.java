package dev.ubm.nn.tabular;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.UniformInitializer;
import ai.djl.util.PairList;

/**
 * Per-feature embeddings of numeric features through the piecewise-linear encoding, rtdl's "version B": for each
 * feature j, e_j = x_j·w_j + b_j + P_j·PLE_j(x_j) with P_j ∈ R^{T×d} initialised to 0, so training starts from a
 * plain linear embedding and the PLE part learns the non-linear shape. Input (B, F) floats; output (B, F, d).
 * The encoding's constants (1/width, offsets, clamps, padding mask for features with fewer bins) are fixed by the
 * {@link PleBins} and rebuilt per forward on the input's device (a few kB).
 */
public final class PiecewiseLinearEmbedding extends AbstractBlock {
    private static final byte VERSION = 1;

    private final int features;
    private final int maxBins;
    private final int dim;
    private final boolean relu;
    private final float[] scale;
    private final float[] offset;
    private final float[] lower;
    private final float[] upper;
    private final float[] mask;
    private final Parameter pleWeight;
    private final Parameter linWeight;
    private final Parameter linBias;

    /**
     * @param bins the edges per feature
     * @param dim d, the embedding size per feature
     * @param relu apply a ReLU to the embedding (rtdl's "activation")
     */
    public PiecewiseLinearEmbedding(PleBins bins, int dim, boolean relu) {
        super(VERSION);
        if (dim < 1) {
            throw new IllegalArgumentException("dim must be ≥ 1");
        }
        this.features = bins.features();
        this.maxBins = bins.maxBins();
        this.dim = dim;
        this.relu = relu;
        int n = features * maxBins;
        scale = new float[n];
        offset = new float[n];
        lower = new float[n];
        upper = new float[n];
        mask = new float[n];
        for (int j = 0; j < features; j++) {
            double[] e = bins.edges(j);
            int t = e.length - 1;
            for (int k = 0; k < maxBins; k++) {
                int i = j * maxBins + k;
                lower[i] = Float.NEGATIVE_INFINITY;
                upper[i] = Float.POSITIVE_INFINITY;
                if (k >= t) {
                    continue; // padding: scale = offset = mask = 0
                }
                double width = e[k + 1] - e[k];
                scale[i] = (float) (1.0 / width);
                offset[i] = (float) (-e[k] / width);
                mask[i] = 1f;
                if (t > 1) {
                    if (k > 0) {
                        lower[i] = 0f;
                    }
                    if (k < t - 1) {
                        upper[i] = 1f;
                    }
                }
            }
        }
        float bound = (float) (1.0 / Math.sqrt(dim));
        pleWeight = addParameter(Parameter.builder().setName("ple_weight").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(features, maxBins, dim)).optInitializer(Initializer.ZEROS).build());
        linWeight = addParameter(Parameter.builder().setName("linear_weight").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(features, dim)).optInitializer(new UniformInitializer(bound)).build());
        linBias = addParameter(Parameter.builder().setName("linear_bias").setType(Parameter.Type.BIAS)
                .optShape(new Shape(features, dim)).optInitializer(new UniformInitializer(bound)).build());
    }

    public int features() {
        return features;
    }

    public int dim() {
        return dim;
    }

    /** The piecewise-linear encoding of a (B, F) batch: (B, F, T_max), padded components 0. */
    public NDArray encode(NDArray x) {
        NDManager m = x.getManager();
        Shape c = new Shape(features, maxBins);
        NDArray xe = x.expandDims(2);
        NDArray raw = xe.mul(OwnedArrays.floats(m, scale, c)).add(OwnedArrays.floats(m, offset, c));
        raw = raw.maximum(OwnedArrays.floats(m, lower, c)).minimum(OwnedArrays.floats(m, upper, c));
        return raw.mul(OwnedArrays.floats(m, mask, c));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        if (x.getShape().dimension() != 2 || x.getShape().get(1) != features) {
            throw new IllegalArgumentException("expected (batch, " + features + ") input, got " + x.getShape());
        }
        NDArray p = ps.getValue(pleWeight, x.getDevice(), training);
        NDArray w = ps.getValue(linWeight, x.getDevice(), training);
        NDArray b = ps.getValue(linBias, x.getDevice(), training);
        NDArray ple = encode(x).transpose(1, 0, 2); // (F, B, T)
        NDArray pleEmb = ple.batchMatMul(p).transpose(1, 0, 2); // (B, F, d)
        NDArray lin = x.expandDims(2).mul(w).add(b); // (B, F, d)
        NDArray out = lin.add(pleEmb);
        if (relu) {
            out = Activation.relu(out);
        }
        return new NDList(out);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), features, dim)};
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        // parameter shapes are fixed by the bins and dim
    }
}
