package dev.ubm.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import java.util.ArrayList;
import java.util.List;

/**
 * A stack of {@link PreLnTransformerLayer}s plus the final layer norm a pre-LN stack needs: (batch, time, dim)
 * in, (batch, time, dim) out, causal throughout; optionally with relative bucket ids (batch, time, time) shared by
 * every layer's attention bias. Build with {@link #builder()}.
 */
public final class CausalTransformer extends AbstractBlock {
    private static final byte VERSION = 1;
    private final List<PreLnTransformerLayer> layers = new ArrayList<>();
    private final LayerNorm finalNorm;

    private CausalTransformer(Builder b) {
        super(VERSION);
        for (int i = 0; i < b.layers; i++) {
            layers.add(addChildBlock("layer" + i, new PreLnTransformerLayer(b.dim, b.heads, b.ffnMult, b.dropout,
                    b.relativeBuckets)));
        }
        finalNorm = addChildBlock("final_ln", LayerNorm.builder().axis(2).build());
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        for (PreLnTransformerLayer layer : layers) {
            NDList in = inputs.size() > 1 ? new NDList(x, inputs.get(1)) : new NDList(x);
            x = layer.forward(ps, in, training).singletonOrThrow();
        }
        return finalNorm.forward(ps, new NDList(x), training);
    }

    /** Convenience: runs the stack on one (batch, time, dim) array. */
    public NDArray forward(ParameterStore ps, NDArray x, boolean training) {
        return forward(ps, new NDList(x), training).singletonOrThrow();
    }

    /** Runs the stack with relative bucket ids (batch, time, time) for every layer's attention bias. */
    public NDArray forward(ParameterStore ps, NDArray x, NDArray relativeBuckets, boolean training) {
        return forward(ps, new NDList(x, relativeBuckets), training).singletonOrThrow();
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        for (PreLnTransformerLayer layer : layers) {
            layer.initialize(manager, dataType, inputShapes[0]);
        }
        finalNorm.initialize(manager, dataType, inputShapes[0]);
    }

    /** Builder: {@code setDim}, {@code setHeads}, {@code setLayers} are required; the rest optional. */
    public static final class Builder {
        private int dim;
        private int heads;
        private int layers = -1;
        private int ffnMult = 4;
        private float dropout;
        private int relativeBuckets;

        private Builder() {
        }

        public Builder setDim(int dim) {
            this.dim = dim;
            return this;
        }

        public Builder setHeads(int heads) {
            this.heads = heads;
            return this;
        }

        public Builder setLayers(int layers) {
            this.layers = layers;
            return this;
        }

        public Builder optFfnMult(int ffnMult) {
            this.ffnMult = ffnMult;
            return this;
        }

        public Builder optDropout(float dropout) {
            this.dropout = dropout;
            return this;
        }

        /** Adds a learned per-head attention bias over this many relative bucket ids (a second input). */
        public Builder optRelativeBuckets(int buckets) {
            this.relativeBuckets = buckets;
            return this;
        }

        public CausalTransformer build() {
            if (dim <= 0 || heads <= 0 || layers < 0) {
                throw new IllegalArgumentException("set dim, heads and layers (dim " + dim + ", heads " + heads
                        + ", layers " + layers + ")");
            }
            if (dropout < 0 || dropout >= 1) {
                throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
            }
            return new CausalTransformer(this);
        }
    }
}
