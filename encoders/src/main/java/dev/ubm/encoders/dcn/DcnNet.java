package dev.ubm.encoders.dcn;

import dev.ubm.nn.tabular.DcnV2;
import dev.ubm.nn.tabular.PiecewiseLinearEmbedding;
import dev.ubm.nn.tabular.PleBins;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import java.util.ArrayList;
import java.util.List;

/**
 * The tabular net: numeric features → PLE embeddings (version B) → flattened and concatenated with the frozen
 * sequence vector into x₀ → DCN-v2 → a linear bottleneck, optionally layer-normalised without affine terms (the
 * block: its rows then all have norm √dim, so the combine step's L2 row scaling loses nothing) → one linear head
 * per task, plus a linear
 * projection for the contrastive loss. Masks (0/1, per numeric feature and per sequence dimension) implement the
 * random maskings of the contrastive views. Inputs: x (B, F) [, seq (B, S)] [, feature mask (B, F) [, seq mask
 * (B, S)]]. Outputs, in order: bottleneck, DCN output, projection, head logits.
 */
final class DcnNet extends AbstractBlock {
    private static final byte VERSION = 1;

    private final int features;
    private final int seqDims;
    private final int featureDim;
    private final PiecewiseLinearEmbedding ple;
    private final DcnV2 dcn;
    private final Linear bottleneck;
    private final LayerNorm blockNorm;
    private final Linear projection;
    private final List<Linear> heads = new ArrayList<>();

    DcnNet(PleBins bins, int seqDims, DcnConfig cfg, int[] headOutputs) {
        super(VERSION);
        this.features = bins.features();
        this.seqDims = seqDims;
        this.featureDim = cfg.featureDim();
        this.ple = addChildBlock("ple", new PiecewiseLinearEmbedding(bins, cfg.featureDim(), cfg.relu()));
        this.dcn = addChildBlock("dcn", new DcnV2(inputDim(), cfg.dcnV2()));
        this.bottleneck = addChildBlock("bottleneck", Linear.builder().setUnits(cfg.blockDim()).build());
        this.blockNorm = cfg.normalizeBlock()
                ? addChildBlock("block_norm", LayerNorm.builder().optCenter(false).optScale(false).build()) : null;
        this.projection = addChildBlock("projection", Linear.builder().setUnits(cfg.blockDim()).build());
        for (int k = 0; k < headOutputs.length; k++) {
            heads.add(addChildBlock("head" + k, Linear.builder().setUnits(headOutputs[k]).build()));
        }
    }

    /**
     * Sets head k's bias to the log-odds of each output's positive rate (binary heads) or to the target means
     * (regression), so training starts at the prior instead of at p = 0.5 (with rare propensity labels the gap
     * costs thousands of Adam steps and unsettles the rest of the net while the bias catches up).
     */
    void setHeadPrior(int k, float[] rates, boolean logOdds) {
        float[] b = new float[rates.length];
        for (int i = 0; i < b.length; i++) {
            double p = Math.min(1 - 1e-4, Math.max(1e-4, rates[i]));
            b[i] = logOdds ? (float) Math.log(p / (1 - p)) : rates[i];
        }
        heads.get(k).getParameters().get("bias").getArray().set(b);
    }

    /** Width of x₀. */
    int inputDim() {
        return features * featureDim + seqDims;
    }

    int dcnOutputDim() {
        return dcn.outputDim();
    }

    /**
     * One pass. {@code seq} may be null when there is no sequence block; masks may be null (no masking).
     *
     * @return bottleneck, DCN output, projection, then one logits array per head
     */
    NDList run(ParameterStore ps, NDArray x, NDArray seq, NDArray featureMask, NDArray seqMask, boolean training) {
        NDArray e = ple.forward(ps, new NDList(x), training).singletonOrThrow(); // (B, F, d)
        if (featureMask != null) {
            e = e.mul(featureMask.expandDims(2));
        }
        NDArray x0 = e.reshape(x.getShape().get(0), (long) features * featureDim);
        if (seqDims > 0) {
            NDArray s = seqMask != null ? seq.mul(seqMask) : seq;
            x0 = NDArrays.concat(new NDList(x0, s), 1);
        }
        NDArray h = dcn.forward(ps, new NDList(x0), training).singletonOrThrow();
        NDArray z = bottleneck.forward(ps, new NDList(h), training).singletonOrThrow();
        if (blockNorm != null) {
            z = blockNorm.forward(ps, new NDList(z), training).singletonOrThrow();
        }
        NDList out = new NDList(z, h, projection.forward(ps, new NDList(z), training).singletonOrThrow());
        for (Linear head : heads) {
            out.add(head.forward(ps, new NDList(z), training).singletonOrThrow());
        }
        return out;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        // inputs: x [, seq] [, featureMask [, seqMask]]
        int k = seqDims > 0 ? 2 : 1;
        NDArray seq = seqDims > 0 ? inputs.get(1) : null;
        NDArray fm = inputs.size() > k ? inputs.get(k) : null;
        NDArray sm = seqDims > 0 && inputs.size() > k + 1 ? inputs.get(k + 1) : null;
        return run(ps, inputs.get(0), seq, fm, sm, training);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long b = inputShapes[0].get(0);
        ple.initialize(manager, dataType, new Shape(b, features));
        dcn.initialize(manager, dataType, new Shape(b, inputDim()));
        bottleneck.initialize(manager, dataType, new Shape(b, dcn.outputDim()));
        long blockDim = bottleneck.getOutputShapes(new Shape[] {new Shape(b, dcn.outputDim())})[0].get(1);
        if (blockNorm != null) {
            blockNorm.initialize(manager, dataType, new Shape(b, blockDim));
        }
        projection.initialize(manager, dataType, new Shape(b, blockDim));
        for (Linear head : heads) {
            head.initialize(manager, dataType, new Shape(b, blockDim));
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long b = inputShapes[0].get(0);
        Shape z = bottleneck.getOutputShapes(new Shape[] {new Shape(b, dcn.outputDim())})[0];
        List<Shape> out = new ArrayList<>(List.of(z, new Shape(b, dcn.outputDim()), z));
        for (Linear head : heads) {
            out.add(head.getOutputShapes(new Shape[] {z})[0]);
        }
        return out.toArray(new Shape[0]);
    }
}
