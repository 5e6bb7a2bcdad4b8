package dev.ubm.encoders.sequence;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;

import dev.ubm.core.Progress;
import dev.ubm.nn.AdamW;
import dev.ubm.nn.Checkpoint;
import dev.ubm.nn.Engines;
import dev.ubm.nn.LazyAdamTable;
import dev.ubm.nn.LossCurve;
import dev.ubm.nn.LrSchedule;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The training loop: epochs of {@link EpochPlan} batches, AdamW with warm-up + cosine decay, a checkpoint after
 * every epoch (resumed automatically when the run's identity matches), loss curves as CSV and PNG, and a progress
 * bar with tokens/s and ETA. Everything random is derived from (seed, epoch), so a resumed run repeats the
 * uninterrupted one.
 */
final class SeqTrainer {
    static final String CHECKPOINT = "model.ckpt";
    static final String CURVE_CSV = "train_loss.csv";
    static final String CURVE_PNG = "train_loss.png";
    private static final int LOG_EVERY = 10;

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

    private void skip(float[] out) {
        java.util.Arrays.fill(out, Float.NaN);
        skipped++;
        if (skipped > 20) {
            throw new dev.ubm.core.UnexpectedStateException("seq training diverged: " + skipped + " steps had a "
                    + "non-finite loss or gradient; lower --lr or raise the gradient clipping");
        }
    }

    /**
     * Loads the checkpoint whose header matched; a body that cannot be read (cut by a full disk, overwritten) is an
     * unexpected state (exit 3) that {@code --fresh} clears, not an internal error.
     */
    private Map<String, Object> loadCheckpoint(SeqModel model, NDManager manager, AdamW opt, LazyAdamTable tableOpt) {
        try {
            return Checkpoint.load(checkpointFile(), model, manager, opt, tableOpt);
        } catch (dev.ubm.core.UbmException e) {
            throw e;
        } catch (RuntimeException e) {
            Throwable c = e.getCause() != null ? e.getCause() : e;
            String why = c instanceof java.io.EOFException ? "it ends early" : String.valueOf(c.getMessage());
            throw new dev.ubm.core.UnexpectedStateException("checkpoint " + checkpointFile() + " is corrupt: rerun "
                    + "with --fresh (" + why + ")", e);
        }
    }

    /** Completed epochs of a compatible checkpoint, or -1 when there is none. */
    int resumableEpoch() {
        return Checkpoint.readMeta(checkpointFile()).filter(m -> sameIdentity(m.get("identity")))
                .map(m -> ((Number) m.get("epoch")).intValue()).orElse(-1);
    }

    private boolean sameIdentity(Object other) {
        return other instanceof Map<?, ?> o && String.valueOf(new java.util.TreeMap<>(o))
                .equals(String.valueOf(new java.util.TreeMap<>(identity)));
    }

    /**
     * Trains {@code model} (initialized) up to {@code cfg.epochs()}, resuming from a compatible checkpoint.
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
        int start = 0;
        long step = 0;
        long tokensBefore = 0;
        LossCurve curve = new LossCurve(series);
        if (resumableEpoch() >= 0) {
            Map<String, Object> meta = loadCheckpoint(model, manager, opt, tableOpt);
            start = ((Number) meta.get("epoch")).intValue();
            step = ((Number) meta.get("step")).longValue();
            tokensBefore = ((Number) meta.getOrDefault("tokens", 0L)).longValue();
            Path csv = curveDir.resolve(CURVE_CSV);
            if (Files.isRegularFile(csv)) {
                try {
                    LossCurve old = LossCurve.readCsv(csv);
                    if (old.series().equals(series)) {
                        curve = old;
                        curve.truncateAfterEpoch(start - 1);
                    }
                } catch (RuntimeException ignored) {
                    // a broken curve file only loses the plot's history
                }
            }
        }
        if (start >= cfg.epochs()) {
            return new Outcome(start, 0, 0, 0, 0);
        }
        // one epoch is planned at a time (a plan holds a few ints per client); the schedule's length comes from
        // epoch 0's plan, so a resumed run follows the same learning-rate curve
        SplittableRandom rng0 = EpochPlan.rng(seed, 0);
        EpochPlan first = EpochPlan.of(corpus, builder, cfg, rng0);
        long plannedSteps = (long) first.batches() * cfg.epochs();
        long totalTokens = first.tokens * (cfg.epochs() - start);
        LrSchedule lr = new LrSchedule(cfg.lr(), Math.min(cfg.warmupSteps(), plannedSteps / 10),
                Math.max(1, plannedSteps), 0.05f);
        ParameterStore ps = new ParameterStore(manager, false);
        long tokensDone = 0;
        long steps = 0;
        int epochsRun = 0;
        long t0 = System.nanoTime();
        try (Progress bar = new Progress("seq train", totalTokens, "tok")) {
            for (int e = start; e < cfg.epochs(); e++) {
                SplittableRandom rng = e == 0 ? rng0 : EpochPlan.rng(seed, e);
                EpochPlan plan = e == 0 ? first : EpochPlan.of(corpus, builder, cfg, rng);
                Engines.seed(seed * 1_000_003L + e);
                double[] sum = new double[series.size()];
                int[] cnt = new int[series.size()];
                for (int bi = 0; bi < plan.batches(); bi++) {
                    SeqBatch batch = builder.build(plan.clients[bi], plan.cutoffs[bi], true, rng);
                    float rate = lr.at(step);
                    float[] values = step(model, ps, manager, opt, tableOpt, batch, rate);
                    for (int i = 0; i < values.length; i++) {
                        if (!Float.isNaN(values[i])) {
                            sum[i] += values[i];
                            cnt[i]++;
                        }
                    }
                    step++;
                    steps++;
                    tokensDone += batch.realTokens();
                    bar.add(batch.realTokens());
                    if (step % LOG_EVERY == 0 || bi == plan.batches() - 1) {
                        double[] avg = new double[sum.length];
                        for (int i = 0; i < avg.length; i++) {
                            avg[i] = cnt[i] == 0 ? Double.NaN : sum[i] / cnt[i];
                        }
                        curve.add(new LossCurve.Row(e, step, tokensBefore + tokensDone, rate, avg));
                        bar.status(String.format(Locale.ROOT, "epoch %d/%d loss %.3f", e + 1, cfg.epochs(), avg[0]));
                        java.util.Arrays.fill(sum, 0);
                        java.util.Arrays.fill(cnt, 0);
                    }
                }
                Map<String, Object> meta = new LinkedHashMap<>();
                meta.put("epoch", e + 1);
                meta.put("step", step);
                meta.put("tokens", tokensBefore + tokensDone);
                meta.put("identity", identity);
                Checkpoint.save(checkpointFile(), meta, model, opt, tableOpt);
                curve.writeCsv(curveDir.resolve(CURVE_CSV));
                curve.writePng(curveDir.resolve(CURVE_PNG), "seq encoder training loss (" + cfg.objectivesSpec() + ")");
                epochsRun++;
                if (stopAfter >= 0 && epochsRun >= stopAfter) {
                    break;
                }
            }
        }
        return new Outcome(start, epochsRun, steps, tokensDone, (System.nanoTime() - t0) / 1e9);
    }

    static AdamW newDenseOptimizer(SeqConfig cfg, SeqModel model, NDManager manager) {
        return new AdamW(model, new AdamW.Config(0.9f, 0.999f, 1e-8f, cfg.weightDecay(), cfg.clipNorm()),
                AdamW::linearWeightsOnly, manager);
    }

    static LazyAdamTable newTableOptimizer(SeqConfig cfg, SeqModel model, NDManager manager) {
        return new LazyAdamTable(model.table(), new AdamW.Config(0.9f, 0.999f, 1e-8f, 0f, cfg.clipNorm()), manager);
    }

    /** Steps skipped so far because the loss or a gradient was not finite. */
    long skippedSteps() {
        return skipped;
    }

    private long skipped;

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
            if (!Float.isFinite(out[0])) {
                skip(out);
                return out;
            }
            if (!Float.isFinite(opt.step(rate)) | !Float.isFinite(tableOpt.step(sm, rows, rowIdx, rate))) {
                skip(out);
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
