package dev.ubm.encoders.sequence;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;

import dev.ubm.core.Progress;
import dev.ubm.nn.AdamW;
import dev.ubm.nn.Checkpoint;
import dev.ubm.nn.Engines;
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
        m.put("seed", seed);
        m.put("input_fingerprint", fingerprint);
        return m;
    }

    Path checkpointFile() {
        return workDir.resolve(CHECKPOINT);
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
        AdamW opt = new AdamW(model, new AdamW.Config(0.9f, 0.999f, 1e-8f, cfg.weightDecay()),
                AdamW::linearWeightsOnly, manager);
        List<String> series = new ArrayList<>();
        series.add("total");
        for (Objective o : cfg.objectives().keySet()) {
            series.add(o.cliName());
        }
        int start = 0;
        long step = 0;
        LossCurve curve = new LossCurve(series);
        if (resumableEpoch() >= 0) {
            Map<String, Object> meta = Checkpoint.load(checkpointFile(), model, opt, manager);
            start = ((Number) meta.get("epoch")).intValue();
            step = ((Number) meta.get("step")).longValue();
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
        // plan every remaining epoch up front: exact token totals for the progress bar
        List<EpochPlan> plans = new ArrayList<>();
        List<SplittableRandom> rngs = new ArrayList<>();
        long totalTokens = 0;
        long stepsPerEpoch = 0;
        for (int e = start; e < cfg.epochs(); e++) {
            SplittableRandom rng = EpochPlan.rng(seed, e);
            EpochPlan p = EpochPlan.of(corpus, builder, cfg, rng);
            plans.add(p);
            rngs.add(rng);
            totalTokens += p.tokens;
            stepsPerEpoch = p.batches();
        }
        LrSchedule lr = new LrSchedule(cfg.lr(), cfg.warmupSteps(), Math.max(1, stepsPerEpoch * cfg.epochs()), 0.05f);
        ParameterStore ps = new ParameterStore(manager, false);
        long tokensDone = 0;
        long steps = 0;
        int epochsRun = 0;
        long t0 = System.nanoTime();
        try (Progress bar = new Progress("seq train", totalTokens, "tok")) {
            for (int e = start; e < cfg.epochs(); e++) {
                EpochPlan plan = plans.get(e - start);
                SplittableRandom rng = rngs.get(e - start);
                Engines.seed(seed * 1_000_003L + e);
                double[] sum = new double[series.size()];
                int[] cnt = new int[series.size()];
                long tokensAtLog = 0;
                for (int bi = 0; bi < plan.batches(); bi++) {
                    SeqBatch batch = builder.build(plan.clients[bi], plan.cutoffs[bi], true, rng);
                    float rate = lr.at(step);
                    float[] values = step(model, ps, manager, opt, batch, rate);
                    for (int i = 0; i < values.length; i++) {
                        if (!Float.isNaN(values[i])) {
                            sum[i] += values[i];
                            cnt[i]++;
                        }
                    }
                    step++;
                    steps++;
                    tokensDone += batch.realTokens();
                    tokensAtLog += batch.realTokens();
                    bar.add(batch.realTokens());
                    if (step % LOG_EVERY == 0 || bi == plan.batches() - 1) {
                        double[] avg = new double[sum.length];
                        for (int i = 0; i < avg.length; i++) {
                            avg[i] = cnt[i] == 0 ? Double.NaN : sum[i] / cnt[i];
                        }
                        curve.add(new LossCurve.Row(e, step, tokensAtLog, rate, avg));
                        bar.status(String.format(Locale.ROOT, "epoch %d/%d loss %.3f", e + 1, cfg.epochs(), avg[0]));
                        java.util.Arrays.fill(sum, 0);
                        java.util.Arrays.fill(cnt, 0);
                    }
                }
                Map<String, Object> meta = new LinkedHashMap<>();
                meta.put("epoch", e + 1);
                meta.put("step", step);
                meta.put("identity", identity);
                Checkpoint.save(checkpointFile(), meta, model, opt);
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

    /** One optimizer step; returns [total, each enabled objective] (NaN for an objective absent from the batch). */
    float[] step(SeqModel model, ParameterStore ps, NDManager manager, AdamW opt, SeqBatch batch, float rate) {
        float[] out = new float[1 + cfg.objectives().size()];
        try (NDManager sm = manager.newSubManager()) {
            SeqModel.Loss loss;
            try (GradientCollector gc = Engines.torch().newGradientCollector()) {
                loss = model.loss(ps, sm, batch, true);
                if (!loss.parts().isEmpty()) {
                    gc.backward(loss.total());
                }
            }
            if (loss.parts().isEmpty()) {
                java.util.Arrays.fill(out, Float.NaN);
                return out;
            }
            opt.step(rate);
            out[0] = loss.total().getFloat();
            int i = 1;
            for (Objective o : cfg.objectives().keySet()) {
                NDArray v = loss.parts().get(o);
                out[i++] = v == null ? Float.NaN : v.getFloat();
            }
        }
        return out;
    }
}
