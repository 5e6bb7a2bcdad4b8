package dev.ubm.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Parameter;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * A large embedding table trained with lazy AdamW (the {@link AdamW} update and moment scaling): each step works on only the rows its batch touches. The step
 * gathers those rows into a small leaf array with a gradient ({@link #gather}), the model reads that instead of
 * the table, and {@link #step} applies Adam to the rows and their moments and scatters them back. Cost per step is
 * proportional to the rows used, not the table size (the same idea as TensorFlow's LazyAdam and PyTorch's
 * SparseAdam), so a 500k-row hashed table costs no more per step than a 5k-row one. The table parameter must be
 * created with {@code optRequiresGrad(false)} so the dense optimizer leaves it alone.
 */
public final class LazyAdamTable implements OptimizerState {
    private final Parameter table;
    private final AdamW.Config config;
    private final NDManager stateManager;
    private NDArray mean;
    private NDArray var;
    private long steps;

    public LazyAdamTable(Parameter table, AdamW.Config config, NDManager stateManager) {
        if (table.requiresGradient()) {
            throw new IllegalArgumentException("table parameter " + table.getName() + " must not require a gradient");
        }
        this.table = table;
        this.config = config;
        this.stateManager = stateManager;
        NDArray w = table.getArray();
        this.mean = stateManager.zeros(w.getShape(), w.getDataType(), w.getDevice());
        this.var = stateManager.zeros(w.getShape(), w.getDataType(), w.getDevice());
    }

    /** Rows {@code rows} (int64, 1-D) of the table as a new leaf that records its gradient, owned by {@code sm}. */
    public NDArray gather(NDManager sm, NDArray rows) {
        NDArray sub = table.getArray().get(sm, new NDIndex("{}", rows));
        sub.setRequiresGradient(true);
        return sub;
    }

    /** Rows of the table without gradient (inference). */
    public static NDArray rows(Parameter table, NDManager sm, NDArray rows) {
        return table.getArray().get(sm, new NDIndex("{}", rows));
    }

    /**
     * One lazy AdamW step (the {@link AdamW} update, on the rows only) on the rows of {@code sub} (from
     * {@link #gather} with the same {@code rows}); the gradient is clipped to the config's {@code clipNorm}. Returns
     * the gradient's L2 norm; a non-finite one skips the step.
     */
    public float step(NDManager sm, NDArray sub, NDArray rows, double lr) {
        float norm;
        try (NDArray grad = sub.getGradient(); NDArray n = grad.norm()) {
            norm = n.getFloat();
        }
        if (!Float.isFinite(norm)) {
            return norm;
        }
        float rescale = config.clipNorm() > 0 && norm > config.clipNorm() ? (float) (config.clipNorm() / norm) : 1f;
        steps++;
        NDIndex at = new NDIndex("{}", rows);
        try (AdamW.Update u = new AdamW.Update(config, lr, steps, rescale, sm)) {
            NDArray g = u.own(sub.getGradient());
            NDArray w = u.own(sub.stopGradient());
            NDArray m = mean.get(sm, at);
            NDArray v = var.get(sm, at);
            u.apply(w, g, m, v, true);
            table.getArray().set(at, w);
            mean.set(at, m);
            var.set(at, v);
        }
        return norm;
    }

    public long steps() {
        return steps;
    }

    @Override
    public void save(DataOutputStream out) throws IOException {
        out.writeLong(steps);
        OptimizerState.writeArray(out, mean);
        OptimizerState.writeArray(out, var);
    }

    @Override
    public void load(DataInputStream in) throws IOException {
        steps = in.readLong();
        mean = AdamW.readMoment(in, stateManager, mean);
        var = AdamW.readMoment(in, stateManager, var);
    }
}
