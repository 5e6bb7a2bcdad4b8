package dev.ubm.probes.mlp;

import dev.ubm.nn.AdamW;
import dev.ubm.nn.Engines;
import dev.ubm.nn.LrSchedule;
import dev.ubm.nn.TrainingLoop;
import dev.ubm.probes.Embeddings;
import dev.ubm.probes.Probe;
import dev.ubm.probes.metrics.TaskScore;
import dev.ubm.probes.targets.Labels;
import dev.ubm.probes.targets.TaskTargets;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The MLP probe: {@link ProbeNet} trained as the organisers train it, in nn's {@link TrainingLoop}: rows in
 * submission order (no shuffling), batches of 128, BCE with logits averaged over all outputs, AdamW ({@link AdamW}, torch.optim.AdamW step for step), validation on the whole
 * validation window after every epoch. Runs on the device given (by default nn's {@code Engines.device()}).
 */
public final class MlpProbe implements Probe {
    private final String name;
    private final MlpConfig cfg;
    private final Device device;

    public MlpProbe(String name, MlpConfig cfg) {
        this(name, cfg, null);
    }

    /** @param device where to train, or null for nn's {@code Engines.device()} (resolved when training starts) */
    public MlpProbe(String name, MlpConfig cfg, Device device) {
        this.name = name;
        this.cfg = cfg;
        this.device = device;
    }

    @Override
    public String name() {
        return name;
    }

    public MlpConfig config() {
        return cfg;
    }

    public Device device() {
        return device != null ? device : Engines.device();
    }

    /** A trained-in-place network plus its optimiser: one task's training state. */
    public final class Session implements AutoCloseable {
        private final NDManager manager;
        private final Block net;
        private final ParameterStore store;
        private final List<NDArray> weights = new ArrayList<>();
        private final AdamW optimizer;
        private final int dims;
        private final int width;
        private float lastLoss = Float.NaN;

        Session(int dims, int width) {
            this.dims = dims;
            this.width = width;
            manager = NDManager.newBaseManager(device());
            try {
                Engine.getInstance().setRandomSeed(cfg.seed());
                net = ProbeNet.build(dims, width, cfg);
                net.initialize(manager, DataType.FLOAT32, new Shape(cfg.batch(), dims));
                for (Pair<String, Parameter> p : net.getParameters()) {
                    weights.add(p.getValue().getArray());
                }
                store = new ParameterStore(manager, false);
                // torch.optim.AdamW over model.parameters(): every parameter decays, no clipping
                optimizer = new AdamW(net, new AdamW.Config(cfg.beta1(), cfg.beta2(), cfg.epsilon(),
                        cfg.weightDecay(), 0), AdamW::all, manager);
            } catch (RuntimeException e) {
                manager.close();
                throw e;
            }
        }

        public Block block() {
            return net;
        }

        public long parameterCount() {
            long n = 0;
            for (NDArray w : weights) {
                n += w.size();
            }
            return n;
        }

        /** One optimiser step on a batch ({@code count x dims} inputs, {@code count x width} 0/1 targets). */
        public float step(float[] x, float[] y, int count) {
            return step(x, y, count, cfg.learningRate());
        }

        /** One optimiser step at learning rate {@code lr} (the training loop's). */
        public float step(float[] x, float[] y, int count, double lr) {
            try (NDManager m = manager.newSubManager()) {
                NDArray in = m.create(FloatBuffer.wrap(x, 0, count * dims), new Shape(count, dims));
                NDArray target = m.create(FloatBuffer.wrap(y, 0, count * width), new Shape(count, width));
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray logits = net.forward(store, new NDList(in), true).singletonOrThrow();
                    NDArray loss = bceWithLogits(logits, target);
                    gc.backward(loss);
                    lastLoss = loss.getFloat();
                }
                optimizer.step(lr);
            }
            return lastLoss;
        }

        /** Logits of the given rows ({@code rows.length x width}, row-major). */
        public float[] predict(Embeddings x, int[] rows) {
            float[] out = new float[Math.multiplyExact(rows.length, width)];
            int eb = cfg.evalBatch();
            float[] buf = new float[eb * dims];
            for (int from = 0; from < rows.length; from += eb) {
                int count = Math.min(eb, rows.length - from);
                x.read(rows, from, count, buf);
                try (NDManager m = manager.newSubManager()) {
                    NDArray in = m.create(FloatBuffer.wrap(buf, 0, count * dims), new Shape(count, dims));
                    NDArray logits = net.forward(store, new NDList(in), false).singletonOrThrow();
                    float[] v = logits.toFloatArray();
                    System.arraycopy(v, 0, out, from * width, v.length);
                }
            }
            return out;
        }

        public float lastLoss() {
            return lastLoss;
        }

        @Override
        public void close() {
            manager.close();
        }
    }

    /** Opens a fresh, seeded network for inputs of {@code dims} columns and {@code width} outputs. */
    public Session open(int dims, int width) {
        return new Session(dims, width);
    }

    /** Mean binary cross-entropy with logits: max(x,0) - x*y + softplus(-|x|), as torch computes it. */
    static NDArray bceWithLogits(NDArray x, NDArray y) {
        return Activation.relu(x).sub(x.mul(y)).add(Activation.softPlus(x.abs().neg())).mean();
    }

    @Override
    public List<TaskScore> fit(Embeddings x, TaskTargets t, Validator validator) {
        int dims = x.dims();
        int width = t.width();
        int[] rows = t.rows();
        Labels train = t.train();
        int b = cfg.batch();
        int batches = (rows.length + b - 1) / b;
        List<TaskScore> scores = new ArrayList<>();
        float[] xb = new float[b * dims];
        float[] yb = new float[b * width];
        try (Session s = open(dims, width)) {
            TrainingLoop.Trainable model = new TrainingLoop.Trainable() {
                @Override
                public int batches(int epoch) {
                    return batches; // rows in submission order, as the organisers train
                }

                @Override
                public TrainingLoop.Step step(int epoch, int batch, float lr) {
                    int from = batch * b;
                    int count = Math.min(b, rows.length - from);
                    x.read(rows, from, count, xb);
                    train.fill(from, count, yb);
                    return TrainingLoop.Step.of(1, s.step(xb, yb, count, lr));
                }

                @Override
                public String endEpoch(int epoch, double[] meanLosses, double seconds) {
                    TaskScore score = validator.score(s.predict(x, rows));
                    scores.add(score);
                    return String.format(Locale.ROOT, "epoch %d auroc %.4f", epoch + 1, score.auroc());
                }
            };
            new TrainingLoop(name + " " + t.task().cliName(), cfg.epochs())
                    .schedule(LrSchedule.constant((float) cfg.learningRate()))
                    .progress("steps", batches)
                    .run(model);
        }
        return scores;
    }
}
