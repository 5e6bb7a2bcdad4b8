package dev.ubm.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * One pre-LN transformer layer over (batch, time, dim): {@code x + Attn(LN(x))}, then {@code x + FFN(LN(x))}
 * with a GELU feed-forward of width {@code ffnMult * dim}. Only layer norms, no batch norm, so a client's output
 * never depends on the other rows of its batch (DJL's TransformerEncoderBlock uses batch norm). Inputs: x and,
 * optionally, the relative bucket ids of {@link CausalSelfAttention}.
 */
public final class PreLnTransformerLayer extends AbstractBlock {
    private static final byte VERSION = 1;
    private final float dropout;
    private final LayerNorm ln1;
    private final CausalSelfAttention attention;
    private final LayerNorm ln2;
    private final Linear up;
    private final Linear down;

    public PreLnTransformerLayer(int dim, int heads, int ffnMult, float dropout) {
        this(dim, heads, ffnMult, dropout, 0);
    }

    /** @param relativeBuckets see {@link CausalSelfAttention}; the layer passes its second input through. */
    public PreLnTransformerLayer(int dim, int heads, int ffnMult, float dropout, int relativeBuckets) {
        super(VERSION);
        if (ffnMult <= 0) {
            throw new IllegalArgumentException("ffnMult must be > 0");
        }
        this.dropout = dropout;
        this.ln1 = addChildBlock("ln1", LayerNorm.builder().axis(2).build());
        this.attention = addChildBlock("attention", new CausalSelfAttention(dim, heads, dropout, relativeBuckets));
        this.ln2 = addChildBlock("ln2", LayerNorm.builder().axis(2).build());
        this.up = addChildBlock("up", Linear.builder().setUnits((long) ffnMult * dim).build());
        this.down = addChildBlock("down", Linear.builder().setUnits(dim).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray a = ln1.forward(ps, new NDList(x), training).singletonOrThrow();
        NDList attIn = inputs.size() > 1 ? new NDList(a, inputs.get(1)) : new NDList(a);
        x = x.add(attention.forward(ps, attIn, training).singletonOrThrow());
        NDArray f = ln2.forward(ps, new NDList(x), training).singletonOrThrow();
        f = Activation.gelu(up.forward(ps, new NDList(f), training).singletonOrThrow());
        f = down.forward(ps, new NDList(f), training).singletonOrThrow();
        if (training && dropout > 0) {
            f = f.getNDArrayInternal().dropout(f, dropout, true).singletonOrThrow();
        }
        return new NDList(x.add(f));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape s = inputShapes[0];
        ln1.initialize(manager, dataType, s);
        attention.initialize(manager, dataType, s);
        ln2.initialize(manager, dataType, s);
        up.initialize(manager, dataType, s);
        down.initialize(manager, dataType, up.getOutputShapes(new Shape[] {s})[0]);
    }
}
