package dev.ubm.encoders.sequence;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;

import dev.ubm.nn.AdamW;
import dev.ubm.nn.Engines;
import dev.ubm.nn.LazyAdamTable;
import dev.ubm.nn.LrSchedule;
import dev.ubm.nn.TrainingLoop;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The seq encoder in nn's {@link TrainingLoop}: epochs of {@link EpochPlan} batches, AdamW (dense) and lazy AdamW
 * (the table) with warm-up + cosine decay, a checkpoint after every epoch (resumed automatically when the run's
 * identity matches), loss curves as CSV and PNG, and a progress bar in tokens with ETA. Everything random is
 * derived from (seed, epoch), so a resumed run repeats the uninterrupted one.
 */
final class SeqTrainer {
    static final String CHECKPOINT = "model.ckpt";
    static final String CURVE_CSV = "train_loss.csv";
    static final String CURVE_PNG = "train_loss.png";
    private static final int LOG_EVERY = 10;
    /** Steps with a non-finite loss or gradient that are skipped before training stops as diverged. */
    private static final int MAX_SKIPPED = 20;

    private final SeqConfig cfg;
    private final long seed;
    private final SeqCorpus corpus;
    private final BatchBuilder builder;
    private final Path workDir;
    private final Path curveDir;
    private final Map<String, Object> identity;

    /** What a training call did. */
    record Outcome(int startEpoch, int epochs, long steps, long tokens, double seconds) {
        double tokensPerSecond() {
            return seconds > 0 ? tokens / seconds : 0;
        }
    }

    SeqTrainer(SeqConfig cfg, long seed, SeqCorpus corpus, BatchBuilder builder, Path workDir, Path curveDir,
            Map<String, Object> identity) {
        this.cfg = cfg;
        this.seed = seed;
        this.corpus = corpus;
        this.builder = builder;
        this.workDir = workDir;
        this.curveDir = curveDir;
        this.identity = identity;
    }

    /** What must match for a checkpoint to be resumed: the config (except epochs), seed and input. */
    static Map<String, Object> identity(SeqConfig cfg, long seed, String fingerprint) {
        Map<String, Object> m = new LinkedHashMap<>(cfg.toMap());
        m.remove("epochs");
        m.remove("infer_batch");
        m.put("model", SeqModel.ARCH);
        m.put("seed", seed);
        m.put("input_fingerprint", fingerprint);
        return m;
    }

    Path checkpointFile() {
        return workDir.resolve(CHECKPOINT);
    }

    /** Completed epochs of a compatible checkpoint, or -1 when there is none. */
    int resumableEpoch() {
        return TrainingLoop.resumableEpoch(checkpointFile(), identity, cfg.epochs());
    }

    /**
     * Trains {@code model} (initialized) up to {@code cfg.epochs()} in the {@link TrainingLoop}, resuming from a
     * compatible checkpoint.
     *
     * @param stopAfter stop after this many epochs of this call as if killed (tests); negative = never
     */
    Outcome train(SeqModel model, NDManager manager, int stopAfter) {
        AdamW opt = newDenseOptimizer(cfg, model, manager);
        LazyAdamTable tableOpt = newTableOptimizer(cfg, model, manager);
        List<String> series = new ArrayList<>();
        series.add("total");
        for (Objective o : cfg.objectives().keySet()) {
            series.add(o.cliName());
        }
        // one epoch is planned at a time (a plan holds a few ints per client); the schedule's length comes from
        // epoch 0's plan, so a resumed run follows the same learning-rate curve
        SplittableRandom rng0 = EpochPlan.rng(seed, 0);
        EpochPlan first = EpochPlan.of(corpus, builder, cfg, rng0);
        long plannedSteps = (long) first.batches() * cfg.epochs();
        LrSchedule lr = new LrSchedule(cfg.lr(), Math.min(cfg.warmupSteps(), plannedSteps / 10),
                Math.max(1, plannedSteps), 0.05f);
        ParameterStore ps = new ParameterStore(manager, false);
        TrainingLoop.Trainable epochs = new TrainingLoop.Trainable() {
            private EpochPlan plan;
            private SplittableRandom rng;

            @Override
            public int batches(int epoch) {
                rng = epoch == 0 ? rng0 : EpochPlan.rng(seed, epoch);
                plan = epoch == 0 ? first : EpochPlan.of(corpus, builder, cfg, rng);
                Engines.seed(seed * 1_000_003L + epoch);
                return plan.batches();
            }

            @Override
            public TrainingLoop.Step step(int epoch, int batch, float rate) {
                SeqBatch b = builder.build(plan.clients[batch], plan.cutoffs[batch], true, rng);
                return TrainingLoop.Step.of(b.realTokens(), SeqTrainer.this.step(model, ps, manager, opt, tableOpt,
                        b, rate));
            }
        };
        TrainingLoop.Outcome o = new TrainingLoop("seq train", cfg.epochs())
                .schedule(lr)
                .progress("tok", first.tokens)
                .nanGuard(MAX_SKIPPED, "lower --lr or raise the gradient clipping")
                .lossCurve(new TrainingLoop.Curve(series, curveDir.resolve(CURVE_CSV), curveDir.resolve(CURVE_PNG),
                        "seq encoder training loss (" + cfg.objectivesSpec() + ")", LOG_EVERY))
                .checkpoint(new TrainingLoop.Resume(checkpointFile(), identity, model, manager, opt, tableOpt),
                        "rerun with --fresh")
                .run(epochs, stopAfter);
        return new Outcome(o.startEpoch(), o.epochs(), o.steps(), o.units(), o.seconds());
    }

    static AdamW newDenseOptimizer(SeqConfig cfg, SeqModel model, NDManager manager) {
        return new AdamW(model, new AdamW.Config(0.9, 0.999, 1e-8, cfg.weightDecay(), cfg.clipNorm()),
                AdamW::linearWeightsOnly, manager);
    }

    static LazyAdamTable newTableOptimizer(SeqConfig cfg, SeqModel model, NDManager manager) {
        return new LazyAdamTable(model.table(), new AdamW.Config(0.9, 0.999, 1e-8, 0f, cfg.clipNorm()), manager);
    }

    /**
     * One optimizer step; returns [total, each enabled objective] (NaN for an objective absent from the batch, all
     * NaN when the step was skipped because the loss or the gradients were not finite).
     */
    float[] step(SeqModel model, ParameterStore ps, NDManager manager, AdamW opt, LazyAdamTable tableOpt,
            SeqBatch batch, float rate) {
        float[] out = new float[1 + cfg.objectives().size()];
        try (NDManager sm = manager.newSubManager()) {
            SeqModel.Loss loss;
            NDArray rowIdx = sm.create(batch.rows());
            NDArray rows = tableOpt.gather(sm, rowIdx);
            try (GradientCollector gc = Engines.torch().newGradientCollector()) {
                loss = model.loss(ps, sm, batch, rows, true);
                out[0] = loss.parts().isEmpty() ? Float.NaN : loss.total().getFloat();
                if (Float.isFinite(out[0])) {
                    gc.backward(loss.total());
                }
            }
            if (!Float.isFinite(out[0])
                    || !Float.isFinite(opt.step(rate)) | !Float.isFinite(tableOpt.step(sm, rows, rowIdx, rate))) {
                Arrays.fill(out, Float.NaN);
                return out;
            }
            int i = 1;
            for (Objective o : cfg.objectives().keySet()) {
                NDArray v = loss.parts().get(o);
                out[i++] = v == null ? Float.NaN : v.getFloat();
            }
        }
        return out;
    }
}
