package dev.ubm.nn.tabular;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.PairList;

/**
 * One low-rank DCN-v2 cross layer (Wang et al. 2021): x_{l+1} = x₀ ⊙ (U (Vᵀ x_l) + b) + x_l with U, V ∈ R^{d×r}.
 * It models explicit feature crosses of bounded degree at O(d·r) cost; r ≈ d/4 keeps full-rank accuracy (TFRS).
 * Input: NDList(x₀, x_l), both (B, d); output (B, d).
 */
public final class LowRankCrossLayer extends AbstractBlock {
    private static final byte VERSION = 1;

    private final int dim;
    private final int rank;
    private final Parameter u;
    private final Parameter v;
    private final Parameter bias;

    public LowRankCrossLayer(int dim, int rank) {
        super(VERSION);
        if (dim < 1 || rank < 1) {
            throw new IllegalArgumentException("dim and rank must be ≥ 1, got " + dim + ", " + rank);
        }
        this.dim = dim;
        this.rank = rank;
        u = addParameter(Parameter.builder().setName("U").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(dim, rank)).optInitializer(new XavierInitializer()).build());
        v = addParameter(Parameter.builder().setName("V").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(dim, rank)).optInitializer(new XavierInitializer()).build());
        bias = addParameter(Parameter.builder().setName("b").setType(Parameter.Type.BIAS)
                .optShape(new Shape(dim)).optInitializer(Initializer.ZEROS).build());
    }

    public int dim() {
        return dim;
    }

    public int rank() {
        return rank;
    }

    /** The layer as a formula on given arrays: x₀ ⊙ (xl·V·Uᵀ + b) + xl. */
    public static NDArray apply(NDArray x0, NDArray xl, NDArray u, NDArray v, NDArray b) {
        return x0.mul(xl.matMul(v).matMul(u.transpose()).add(b)).add(xl);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x0 = inputs.get(0);
        NDArray xl = inputs.size() > 1 ? inputs.get(1) : x0;
        return new NDList(apply(x0, xl, ps.getValue(u, x0.getDevice(), training),
                ps.getValue(v, x0.getDevice(), training), ps.getValue(bias, x0.getDevice(), training)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        // shapes fixed by dim and rank
    }
}
