package dev.ubm.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * AdamW (decoupled weight decay) over a block's trainable parameters, using libtorch's fused update, with moment
 * state this class owns so a {@link Checkpoint} can save and restore it: a resumed run continues exactly where
 * the saved one stopped. Gradients are zeroed after each step.
 */
public final class AdamW implements OptimizerState {
    /**
     * Hyperparameters; weight decay applies only to parameters the decay filter accepts. {@code clipNorm > 0}
     * rescales the gradients when their global L2 norm exceeds it (0 = no clipping).
     */
    public record Config(float beta1, float beta2, float epsilon, float weightDecay, float clipNorm) {
        public Config {
            if (beta1 < 0 || beta1 >= 1 || beta2 < 0 || beta2 >= 1 || epsilon <= 0 || weightDecay < 0
                    || clipNorm < 0) {
                throw new IllegalArgumentException("bad AdamW config " + beta1 + "/" + beta2 + "/" + epsilon + "/"
                        + weightDecay + "/" + clipNorm);
            }
        }

        /** torch.optim.AdamW's defaults: betas (0.9, 0.999), eps 1e-8, weight decay 0.01; no clipping. */
        public static Config defaults() {
            return new Config(0.9f, 0.999f, 1e-8f, 0.01f, 0f);
        }

        public Config withWeightDecay(float wd) {
            return new Config(beta1, beta2, epsilon, wd, clipNorm);
        }

        public Config withClipNorm(float clip) {
            return new Config(beta1, beta2, epsilon, weightDecay, clip);
        }
    }

    private final Config config;
    private final List<Parameter> params = new ArrayList<>();
    private final List<String> names = new ArrayList<>();
    private final List<Boolean> decay = new ArrayList<>();
    private final List<NDArray> mean = new ArrayList<>();
    private final List<NDArray> var = new ArrayList<>();
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
            if (!param.requiresGradient()) {
                continue;
            }
            params.add(param);
            names.add(p.getKey());
            decay.add(decayFilter.test(param));
            NDArray w = param.getArray();
            mean.add(stateManager.zeros(w.getShape(), w.getDataType(), w.getDevice()));
            var.add(stateManager.zeros(w.getShape(), w.getDataType(), w.getDevice()));
        }
    }

    /** Only weights of dense layers (named "weight" with 2 dims) decay; biases, norms and tables do not. */
    public static boolean linearWeightsOnly(Parameter p) {
        return p.getType() == Parameter.Type.WEIGHT && "weight".equals(p.getName())
                && p.getArray().getShape().dimension() == 2;
    }

    /**
     * Applies one update with learning rate {@code lr} to every parameter, then zeroes the gradients. Returns the
     * gradients' global L2 norm (before clipping). A non-finite norm skips the update (the step is not counted):
     * one bad batch must not poison the weights.
     */
    public float step(float lr) {
        float norm = gradientNorm();
        if (!Float.isFinite(norm)) {
            zeroGradients();
            return norm;
        }
        float rescale = config.clipNorm() > 0 && norm > config.clipNorm() ? config.clipNorm() / norm : 1f;
        steps++;
        double c1 = 1.0 - Math.pow(config.beta1(), steps);
        double c2 = 1.0 - Math.pow(config.beta2(), steps);
        float lrCorrected = (float) (lr * Math.sqrt(c2) / c1);
        for (int i = 0; i < params.size(); i++) {
            NDArray w = params.get(i).getArray();
            NDArray g = w.getGradient();
            try {
                w.getNDArrayInternal().adamUpdate(new NDList(w, g, mean.get(i), var.get(i)), new NDList(w), lr,
                        lrCorrected, decay.get(i) ? config.weightDecay() : 0f, rescale, -1f, config.beta1(),
                        config.beta2(), config.epsilon(), true, true);
            } finally {
                g.close();
            }
        }
        zeroGradients();
        return norm;
    }

    /** Global L2 norm of all gradients (one sync). */
    public float gradientNorm() {
        try (NDManager scratch = stateManager.newSubManager()) {
            NDArray total = null;
            for (Parameter p : params) {
                NDArray g = p.getArray().getGradient();
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
        for (Parameter p : params) {
            ai.djl.pytorch.jni.JniUtils.zeroGrad((ai.djl.pytorch.engine.PtNDArray) p.getArray());
        }
    }

    public long steps() {
        return steps;
    }

    public int parameterCount() {
        return params.size();
    }

    /** Writes the step count and both moments of every parameter, in parameter order. */
    @Override
    public void save(DataOutputStream out) throws IOException {
        out.writeLong(steps);
        out.writeInt(params.size());
        for (int i = 0; i < params.size(); i++) {
            out.writeUTF(names.get(i));
            OptimizerState.writeArray(out, mean.get(i));
            OptimizerState.writeArray(out, var.get(i));
        }
    }

    /** Restores what {@link #save} wrote; the parameter list must match (same model structure). */
    @Override
    public void load(DataInputStream in) throws IOException {
        steps = in.readLong();
        int n = in.readInt();
        if (n != params.size()) {
            throw new IOException("optimizer state has " + n + " parameters, the model " + params.size());
        }
        for (int i = 0; i < n; i++) {
            String name = in.readUTF();
            if (!name.equals(names.get(i))) {
                throw new IOException("optimizer state for '" + name + "' where the model has '" + names.get(i) + "'");
            }
            replace(mean, i, OptimizerState.readArray(in, stateManager));
            replace(var, i, OptimizerState.readArray(in, stateManager));
        }
    }

    private void replace(List<NDArray> list, int i, NDArray a) throws IOException {
        NDArray old = list.get(i);
        if (!old.getShape().equals(a.getShape())) {
            throw new IOException("optimizer state shape " + a.getShape() + " != " + old.getShape());
        }
        list.set(i, a.toDevice(old.getDevice(), false));
        old.close();
    }
}
