package dev.ubm.nn.tabular;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import java.util.Arrays;

/**
 * DCN-v2 over one input vector x₀ (B, d): a low-rank {@link CrossNetwork} and a {@link DenseMlp}, either
 * <b>stacked</b> (cross → MLP; output Σ widths) or <b>parallel</b> (concat[cross(x₀), MLP(x₀)]; output d + Σ
 * widths). Which structure wins depends on the data (paper), so it is a config choice.
 */
public final class DcnV2 extends AbstractBlock {
    private static final byte VERSION = 1;

    /** How the cross network and the MLP are combined. */
    public enum Structure {
        STACKED, PARALLEL
    }

    /** Hyperparameters; validated here so a bad value fails before any tensor exists. */
    public record Config(Structure structure, int crossLayers, int rank, int[] mlpWidths, float dropout) {
        public Config {
            if (structure == null) {
                throw new IllegalArgumentException("structure is required");
            }
            if (crossLayers < 0 || rank < 1) {
                throw new IllegalArgumentException("crossLayers must be ≥ 0 and rank ≥ 1");
            }
            if (mlpWidths == null || mlpWidths.length == 0) {
                throw new IllegalArgumentException("mlpWidths needs at least one layer");
            }
            if (dropout < 0 || dropout >= 1) {
                throw new IllegalArgumentException("dropout must be in [0, 1)");
            }
            mlpWidths = mlpWidths.clone();
        }

        @Override
        public int[] mlpWidths() {
            return mlpWidths.clone();
        }

        @Override
        public String toString() {
            return "Config[structure=" + structure + ", crossLayers=" + crossLayers + ", rank=" + rank
                    + ", mlpWidths=" + Arrays.toString(mlpWidths) + ", dropout=" + dropout + "]";
        }
    }

    private final Config config;
    private final int inputDim;
    private final CrossNetwork cross;
    private final DenseMlp mlp;

    public DcnV2(int inputDim, Config config) {
        super(VERSION);
        this.config = config;
        this.inputDim = inputDim;
        this.cross = addChildBlock("cross", new CrossNetwork(inputDim, Math.min(config.rank(), inputDim),
                config.crossLayers()));
        this.mlp = addChildBlock("mlp", new DenseMlp(config.mlpWidths(), config.dropout()));
    }

    public Config config() {
        return config;
    }

    /** Size of the output vector. */
    public int outputDim() {
        return config.structure() == Structure.STACKED ? mlp.outputDim() : inputDim + mlp.outputDim();
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x0 = inputs.singletonOrThrow();
        NDArray c = cross.forward(ps, new NDList(x0), training, params).singletonOrThrow();
        if (config.structure() == Structure.STACKED) {
            return mlp.forward(ps, new NDList(c), training, params);
        }
        NDArray d = mlp.forward(ps, new NDList(x0), training, params).singletonOrThrow();
        return new NDList(NDArrays.concat(new NDList(c, d), 1));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        cross.initialize(manager, dataType, inputShapes[0]);
        mlp.initialize(manager, dataType, inputShapes[0]);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), outputDim())};
    }
}
