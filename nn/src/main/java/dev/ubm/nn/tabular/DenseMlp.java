package dev.ubm.nn.tabular;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import java.util.ArrayList;
import java.util.List;

/**
 * A DenseNet-style MLP (as the 4th place used after DCN-v2): layer k sees the concatenation of the input and every
 * earlier layer's output, h_k = dropout(ReLU(W_k [x, h_1, …, h_{k−1}] + b_k)). Output: [h_1, …, h_K] concatenated
 * (Σ widths), so shallow and deep features both reach the next block. Input (B, d).
 */
public final class DenseMlp extends AbstractBlock {
    private static final byte VERSION = 1;

    private final int[] widths;
    private final List<Linear> linears = new ArrayList<>();
    private final List<Dropout> dropouts = new ArrayList<>();

    public DenseMlp(int[] widths, float dropout) {
        super(VERSION);
        if (widths.length == 0) {
            throw new IllegalArgumentException("a DenseMlp needs at least one layer");
        }
        this.widths = widths.clone();
        for (int k = 0; k < widths.length; k++) {
            if (widths[k] < 1) {
                throw new IllegalArgumentException("layer widths must be ≥ 1");
            }
            linears.add(addChildBlock("dense" + k, Linear.builder().setUnits(widths[k]).build()));
            dropouts.add(addChildBlock("dropout" + k, Dropout.builder().optRate(dropout).build()));
        }
    }

    /** Σ widths: the output size. */
    public int outputDim() {
        int s = 0;
        for (int w : widths) {
            s += w;
        }
        return s;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDList seen = new NDList(x);
        NDList outs = new NDList();
        for (int k = 0; k < widths.length; k++) {
            NDArray in = seen.size() == 1 ? x : NDArrays.concat(seen, 1);
            NDArray h = linears.get(k).forward(ps, new NDList(in), training, params).singletonOrThrow();
            h = Activation.relu(h);
            h = dropouts.get(k).forward(ps, new NDList(h), training, params).singletonOrThrow();
            seen.add(h);
            outs.add(h);
        }
        return new NDList(outs.size() == 1 ? outs.get(0) : NDArrays.concat(outs, 1));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long batch = inputShapes[0].get(0);
        long in = inputShapes[0].get(1);
        for (int k = 0; k < widths.length; k++) {
            Shape s = new Shape(batch, in);
            linears.get(k).initialize(manager, dataType, s);
            dropouts.get(k).initialize(manager, dataType, new Shape(batch, widths[k]));
            in += widths[k];
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), outputDim())};
    }
}
