package dev.ubm.nn.tabular;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import java.util.ArrayList;
import java.util.List;

/** L stacked {@link LowRankCrossLayer}s over one input x₀: x_{l+1} = cross_l(x₀, x_l). Input (B, d); output (B, d). */
public final class CrossNetwork extends AbstractBlock {
    private static final byte VERSION = 1;

    private final List<LowRankCrossLayer> layers = new ArrayList<>();

    public CrossNetwork(int dim, int rank, int numLayers) {
        super(VERSION);
        if (numLayers < 0) {
            throw new IllegalArgumentException("numLayers must be ≥ 0");
        }
        for (int l = 0; l < numLayers; l++) {
            layers.add(addChildBlock("cross" + l, new LowRankCrossLayer(dim, rank)));
        }
    }

    public int numLayers() {
        return layers.size();
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x0 = inputs.singletonOrThrow();
        NDArray x = x0;
        for (LowRankCrossLayer layer : layers) {
            x = layer.forward(ps, new NDList(x0, x), training, params).singletonOrThrow();
        }
        return new NDList(x);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        for (LowRankCrossLayer layer : layers) {
            layer.initialize(manager, dataType, inputShapes[0], inputShapes[0]);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
