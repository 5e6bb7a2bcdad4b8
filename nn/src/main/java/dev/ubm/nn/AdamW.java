package dev.ubm.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.util.Pair;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * torch.optim.AdamW, step for step, over a block's trainable parameters (the dense case; the lazy-table case,
 * {@link LazyAdamTable}, runs the same update on the rows of a batch): {@code w *= 1 - lr*wd};
 * {@code m = b1 m + (1-b1) g}; {@code v = b2 v + (1-b2) g^2}; {@code w -= lr/(1-b1^t) * m / (sqrt(v)/sqrt(1-b2^t) + eps)}.
 * The moments are owned here, so a {@link Checkpoint} can save and restore them and a resumed run continues
 * exactly where the saved one stopped. Gradients are zeroed after each step.
 *
 * <p>Why not DJL's Adam or libtorch's fused update: they add epsilon before the bias correction (an epsilon about
 * 30x smaller on the first steps), and the native update allocates seven parameter-sized temporaries per tensor,
 * which on the 51M-parameter probe doubles the step time on a CPU. Here the update is a chain of in-place
 * operations, so the moments are kept scaled ({@code M = m/(1-b1)}, {@code V = v/(1-b2)}: each update is then a
 * multiply and an add) and the constants folded into one factor and one epsilon, which is the same formula:
 * {@code w -= a * M / (sqrt(V) + e)} with {@code k = sqrt((1-b2)/(1-b2^t))}, {@code a = lr (1-b1)/((1-b1^t) k)},
 * {@code e = eps/k}. On a CPU each tensor is updated in cache-sized slices (views), so the dozen passes read and
 * write main memory about once; on a GPU whole tensors are updated. Checkpoints hold the scaled moments.
 */
public final class AdamW implements OptimizerState {
    /** Elements per slice on a CPU: 2 MiB of float32 per tensor, four tensors in play, fits a shared L3. */
    static final long CPU_SLICE = 1L << 19;

    /**
     * Hyperparameters; weight decay applies only to parameters the decay filter accepts. {@code clipNorm > 0}
     * rescales the gradients when their global L2 norm exceeds it, and then a non-finite norm skips the step
     * (0 = no clipping and no norm: the norm is a pass over every gradient).
     */
    public record Config(double beta1, double beta2, double epsilon, double weightDecay, double clipNorm) {
        public Config {
            if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(epsilon > 0) || !(weightDecay >= 0)
                    || !(clipNorm >= 0)) {
                throw new IllegalArgumentException("bad AdamW config " + beta1 + "/" + beta2 + "/" + epsilon + "/"
                        + weightDecay + "/" + clipNorm);
            }
        }

        /** torch.optim.AdamW's defaults: betas (0.9, 0.999), eps 1e-8, weight decay 0.01; no clipping. */
        public static Config defaults() {
            return new Config(0.9, 0.999, 1e-8, 0.01, 0);
        }

        public Config withWeightDecay(double wd) {
            return new Config(beta1, beta2, epsilon, wd, clipNorm);
        }

        public Config withClipNorm(double clip) {
            return new Config(beta1, beta2, epsilon, weightDecay, clip);
        }
    }

    /**
     * The folded constants of step {@code t} (1-based) at rate {@code lr}, as scalars on one device, and the
     * in-place update of one tensor with them. Close it after the step.
     */
    static final class Update implements AutoCloseable {
        private final NDManager scope;
        private final NDArray decay;
        private final NDArray b1;
        private final NDArray b2;
        private final NDArray e;
        private final NDArray invA;
        private final NDArray rescale;

        Update(Config c, double lr, long t, float rescale, NDManager parent) {
            double c1 = 1.0 - Math.pow(c.beta1(), t);
            double c2 = 1.0 - Math.pow(c.beta2(), t);
            double k = Math.sqrt((1 - c.beta2()) / c2);
            float a = (float) (lr * (1 - c.beta1()) / (c1 * k));
            scope = parent.newSubManager();
            decay = c.weightDecay() > 0 ? scope.create((float) (1 - lr * c.weightDecay())) : null;
            b1 = scope.create((float) c.beta1());
            b2 = scope.create((float) c.beta2());
            e = scope.create((float) (c.epsilon() / k));
            invA = scope.create(1f / a);
            this.rescale = rescale != 1f ? scope.create(rescale) : null;
        }

        /**
         * Updates {@code w}, {@code m}, {@code v} (whole tensors or same-shaped views) in place from {@code g},
         * which is overwritten; {@code decayed} applies the weight decay.
         */
        void apply(NDArray w, NDArray g, NDArray m, NDArray v, boolean decayed) {
            if (rescale != null) {
                g.muli(rescale);
            }
            if (decayed && decay != null) {
                w.muli(decay);
            }
            m.muli(b1).addi(g);
            g.muli(g);
            v.muli(b2).addi(g);
            try (NDArray u = v.sqrt()) {
                u.addi(e).muli(invA);
                try (NDArray r = m.div(u)) {
                    w.subi(r);
                }
            }
        }

        /** Attaches a temporary (e.g. a gradient slice) to this step's scope, so it is freed with it. */
        NDArray own(NDArray a) {
            a.attach(scope);
            return a;
        }

        @Override
        public void close() {
            scope.close();
        }
    }

    /** Row slices along the first axis of about {@link #CPU_SLICE} elements (one slice on a GPU or when small). */
    static List<NDIndex> slices(Shape shape, Device device) {
        List<NDIndex> out = new ArrayList<>();
        long size = shape.size();
        if (device.isGpu() || size <= CPU_SLICE || shape.dimension() == 0) {
            out.add(null);
            return out;
        }
        long rows = shape.get(0);
        long perRow = size / rows;
        long step = Math.max(1, CPU_SLICE / perRow);
        for (long r = 0; r < rows; r += step) {
            out.add(new NDIndex().addSliceDim(r, Math.min(rows, r + step)));
        }
        return out;
    }

    /**
     * One trained tensor: where its current array comes from (a parameter's array is replaced when a checkpoint
     * is loaded), its scaled moments and the slice views of weight and moments (rebuilt when the array changes;
     * they stay valid otherwise, since every update is in place).
     */
    private static final class Entry {
        final String name;
        final Supplier<NDArray> weight;
        final boolean decay;
        NDArray m;
        NDArray v;
        NDArray viewsOf;
        List<NDIndex> slices;
        NDArray[] ws;
        NDArray[] ms;
        NDArray[] vs;

        Entry(String name, Supplier<NDArray> weight, boolean decay, NDManager manager) {
            this.name = name;
            this.weight = weight;
            this.decay = decay;
            NDArray w = weight.get();
            m = manager.zeros(w.getShape(), w.getDataType(), w.getDevice());
            v = manager.zeros(w.getShape(), w.getDataType(), w.getDevice());
        }

        void views(NDArray w) {
            if (w == viewsOf) {
                return;
            }
            slices = slices(w.getShape(), w.getDevice());
            int n = slices.size();
            ws = new NDArray[n];
            ms = new NDArray[n];
            vs = new NDArray[n];
            for (int i = 0; i < n; i++) {
                ws[i] = n == 1 ? w : w.get(slices.get(i));
                ms[i] = n == 1 ? m : m.get(slices.get(i));
                vs[i] = n == 1 ? v : v.get(slices.get(i));
            }
            viewsOf = w;
        }
    }

    private final Config config;
    private final List<Entry> entries = new ArrayList<>();
    private final NDManager stateManager;
    private long steps;

    /**
     * @param decayFilter which parameters get weight decay (by parameter; e.g. only linear weights)
     * @param stateManager owns the moment arrays (usually the model's manager)
     */
    public AdamW(Block block, Config config, Predicate<Parameter> decayFilter, NDManager stateManager) {
        this.config = config;
        this.stateManager = stateManager;
        for (Pair<String, Parameter> p : block.getParameters()) {
            Parameter param = p.getValue();
            if (param.requiresGradient()) {
                entries.add(new Entry(p.getKey(), param::getArray, decayFilter.test(param), stateManager));
            }
        }
    }

    /** Over plain arrays that record gradients (every one decayed), e.g. in tests. */
    public AdamW(List<NDArray> weights, Config config, NDManager stateManager) {
        this.config = config;
        this.stateManager = stateManager;
        for (int i = 0; i < weights.size(); i++) {
            NDArray w = weights.get(i);
            entries.add(new Entry("w" + i, () -> w, true, stateManager));
        }
    }

    /** Only weights of dense layers (named "weight" with 2 dims) decay; biases, norms and tables do not. */
    public static boolean linearWeightsOnly(Parameter p) {
        return p.getType() == Parameter.Type.WEIGHT && "weight".equals(p.getName())
                && p.getArray().getShape().dimension() == 2;
    }

    /** Every parameter decays (torch.optim.AdamW applied to {@code model.parameters()}). */
    public static boolean all(Parameter p) {
        return true;
    }

    /**
     * Applies one update with learning rate {@code lr} to every parameter, then zeroes the gradients. With
     * clipping on, returns the gradients' global L2 norm (before clipping), and a non-finite norm skips the update
     * (the step is not counted: one bad batch must not poison the weights); without clipping returns 0.
     */
    public float step(double lr) {
        float norm = config.clipNorm() > 0 ? gradientNorm() : 0f;
        if (!Float.isFinite(norm)) {
            zeroGradients();
            return norm;
        }
        float rescale = config.clipNorm() > 0 && norm > config.clipNorm() ? (float) (config.clipNorm() / norm) : 1f;
        steps++;
        try (Update u = new Update(config, lr, steps, rescale, stateManager)) {
            for (Entry en : entries) {
                NDArray w = en.weight.get();
                en.views(w);
                NDArray g = w.getGradient();
                try {
                    for (int i = 0; i < en.ws.length; i++) {
                        NDArray gi = en.ws.length == 1 ? g : u.own(g.get(en.slices.get(i)));
                        u.apply(en.ws[i], gi, en.ms[i], en.vs[i], en.decay);
                    }
                } finally {
                    g.close();
                }
            }
        }
        zeroGradients();
        return norm;
    }

    /** Global L2 norm of all gradients (one sync). */
    public float gradientNorm() {
        try (NDManager scratch = stateManager.newSubManager()) {
            NDArray total = null;
            for (Entry en : entries) {
                NDArray g = en.weight.get().getGradient();
                NDArray sq = g.square();
                NDArray s = sq.sum();
                s.attach(scratch);
                sq.close();
                g.close();
                total = total == null ? s : total.add(s);
            }
            return total == null ? 0f : (float) Math.sqrt(total.getFloat());
        }
    }

    private void zeroGradients() {
        for (Entry en : entries) {
            zeroGradient(en.weight.get());
        }
    }

    static void zeroGradient(NDArray w) {
        if (w instanceof PtNDArray p) {
            JniUtils.zeroGrad(p);
        } else {
            try (NDArray g = w.getGradient()) {
                g.muli(0);
            }
        }
    }

    public long steps() {
        return steps;
    }

    public int parameterCount() {
        return entries.size();
    }

    /** Writes the step count and both (scaled) moments of every parameter, in parameter order. */
    @Override
    public void save(DataOutputStream out) throws IOException {
        out.writeLong(steps);
        out.writeInt(entries.size());
        for (Entry en : entries) {
            out.writeUTF(en.name);
            OptimizerState.writeArray(out, en.m);
            OptimizerState.writeArray(out, en.v);
        }
    }

    /** Restores what {@link #save} wrote; the parameter list must match (same model structure). */
    @Override
    public void load(DataInputStream in) throws IOException {
        steps = in.readLong();
        int n = in.readInt();
        if (n != entries.size()) {
            throw new IOException("optimizer state has " + n + " parameters, the model " + entries.size());
        }
        for (Entry en : entries) {
            String name = in.readUTF();
            if (!name.equals(en.name)) {
                throw new IOException("optimizer state for '" + name + "' where the model has '" + en.name + "'");
            }
            en.m = readMoment(in, stateManager, en.m);
            en.v = readMoment(in, stateManager, en.v);
            en.viewsOf = null;
        }
    }

    /** Reads one moment array, which must have the shape of {@code old}; moves it to old's device, closes old. */
    static NDArray readMoment(DataInputStream in, NDManager manager, NDArray old) throws IOException {
        NDArray a = OptimizerState.readArray(in, manager);
        if (!a.getShape().equals(old.getShape())) {
            throw new IOException("optimizer state shape " + a.getShape() + " != " + old.getShape());
        }
        NDArray moved = a.toDevice(old.getDevice(), false);
        if (moved != a) {
            a.close();
        }
        old.close();
        return moved;
    }
}
