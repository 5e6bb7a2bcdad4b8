package dev.ubm.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import dev.ubm.nn.tabular.OwnedArrays;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Multi-head self-attention with a causal mask: the output at position t depends only on inputs at positions
 * {@code <= t}. Input and output are (batch, time, dim). Because of the mask, right-padded batches need no
 * padding mask: real positions never see the padding after them. With {@code relativeBuckets > 0} a second input
 * (batch, time, time) of int bucket ids (e.g. log time between query and key, as HSTU's relative attention bias)
 * adds a learned per-head bias to the attention scores.
 */
public final class CausalSelfAttention extends AbstractBlock {
    private static final byte VERSION = 1;
    private final int dim;
    private final int heads;
    private final float dropout;
    private final Linear qkv;
    private final Linear out;
    private final Parameter relativeBias;
    private final Map<Long, NDArray> masks = new ConcurrentHashMap<>();

    /** @param dim model width; must be divisible by heads. */
    public CausalSelfAttention(int dim, int heads, float dropout) {
        this(dim, heads, dropout, 0);
    }

    /** @param relativeBuckets number of relative bucket ids of the optional second input (0 = none). */
    public CausalSelfAttention(int dim, int heads, float dropout, int relativeBuckets) {
        super(VERSION);
        if (dim <= 0 || heads <= 0 || dim % heads != 0) {
            throw new IllegalArgumentException("dim " + dim + " must be a positive multiple of heads " + heads);
        }
        this.dim = dim;
        this.heads = heads;
        this.dropout = dropout;
        this.qkv = addChildBlock("qkv", Linear.builder().setUnits(3L * dim).build());
        this.out = addChildBlock("out", Linear.builder().setUnits(dim).build());
        this.relativeBias = relativeBuckets <= 0 ? null : addParameter(Parameter.builder().setName("relative_bias")
                .setType(Parameter.Type.BIAS).optShape(new Shape(relativeBuckets, heads)).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        long b = x.getShape().get(0);
        long t = x.getShape().get(1);
        long dh = dim / heads;
        NDArray h = qkv.forward(ps, new NDList(x), training).singletonOrThrow()
                .reshape(b, t, 3, heads, dh).transpose(2, 0, 3, 1, 4);
        // the scale is a torch-owned array kept by the step's manager, not a Number (see OwnedArrays)
        NDArray q = h.get(0).mul(OwnedArrays.scalar(x.getManager(), (float) (1.0 / Math.sqrt(dh))));
        NDArray k = h.get(1);
        NDArray v = h.get(2);
        NDArray att = q.matMul(k.transpose(0, 1, 3, 2)).add(mask(x.getManager(), t));
        if (relativeBias != null && inputs.size() > 1) {
            NDArray table = ps.getValue(relativeBias, x.getDevice(), training);
            att = att.add(Embedding.embedding(inputs.get(1), table, SparseFormat.DENSE).singletonOrThrow()
                    .transpose(0, 3, 1, 2));
        }
        att = att.softmax(-1);
        NDArray y = att.matMul(v).transpose(0, 2, 1, 3).reshape(b, t, dim);
        y = out.forward(ps, new NDList(y), training).singletonOrThrow();
        if (training && dropout > 0) {
            y = y.getNDArrayInternal().dropout(y, dropout, true).singletonOrThrow();
        }
        return new NDList(y);
    }

    /** Additive (t, t) mask: 0 on and below the diagonal, -1e9 above; cached per length, owned by this block. */
    private NDArray mask(NDManager like, long t) {
        return masks.computeIfAbsent(t, len -> {
            int n = (int) (long) len;
            float[] m = new float[n * n];
            for (int i = 0; i < n; i++) {
                for (int j = i + 1; j < n; j++) {
                    m[i * n + j] = -1e9f;
                }
            }
            NDManager owner = qkv.getParameters().get("weight").getArray().getManager();
            NDArray a = OwnedArrays.floats(owner, m, new Shape(n, n)).toDevice(like.getDevice(), false);
            a.attach(owner);
            return a;
        });
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        qkv.initialize(manager, dataType, inputShapes[0]);
        out.initialize(manager, dataType, inputShapes[0]);
    }
}
