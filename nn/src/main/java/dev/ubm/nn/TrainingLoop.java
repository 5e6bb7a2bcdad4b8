package dev.ubm.nn;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;

import dev.ubm.core.Progress;
import dev.ubm.core.UbmException;
import dev.ubm.core.UnexpectedStateException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The training loop of every model ubm trains (the seq encoder, the DCN, the MLP probe): epochs of batches, the
 * learning rate from an {@link LrSchedule}, a progress bar with ETA, a NaN guard (a non-finite loss is a skipped
 * step; past the allowed number the run stops with an error naming the epoch and step), and, when asked, a loss
 * curve ({@link LossCurve}: CSV and PNG, rewritten after every epoch) and a {@link Checkpoint} after every epoch
 * that a later run resumes when its identity matches. The model plugs in as a {@link Trainable}.
 */
public final class TrainingLoop {
    /** What a model supplies to the loop. */
    public interface Trainable {
        /** Number of batches of epoch {@code epoch} (0-based); called once, at the start of the epoch. */
        int batches(int epoch);

        /**
         * Trains on batch {@code batch} of epoch {@code epoch} with learning rate {@code lr}. The step's first loss
         * is the total; a non-finite total means the model skipped the update.
         */
        Step step(int epoch, int batch, float lr);

        /**
         * Called after each epoch (before its checkpoint) with the mean of each loss over the epoch's steps, e.g.
         * to validate; returns a line for the progress bar, or null.
         */
        default String endEpoch(int epoch, double[] meanLosses, double seconds) {
            return null;
        }
    }

    /**
     * One step's losses ([total, parts...]; NaN for a part absent from the batch) and its work in progress units
     * (tokens, rows, or 1 for a step).
     */
    public record Step(float[] losses, long units) {
        /** A batch the model passed over (e.g. too small to train on): not a step, no work. */
        public static final Step NONE = new Step(new float[0], 0);

        public static Step of(long units, float... losses) {
            return new Step(losses, units);
        }
    }

    /** What a run did: the epoch it started at (after a resume), epochs and steps run, units done, seconds. */
    public record Outcome(int startEpoch, int epochs, long steps, long units, double seconds) {
        public double unitsPerSecond() {
            return seconds > 0 ? units / seconds : 0;
        }
    }

    /** The checkpoint of a run: its file, what must match to resume it, the model and its optimizers. */
    public record Resume(Path file, Map<String, Object> identity, Block block, NDManager manager,
            OptimizerState... optimizers) {
    }

    /** The loss curve of a run: its series, CSV and PNG files, title, and a point every {@code every} steps. */
    public record Curve(List<String> series, Path csv, Path png, String title, int every) {
    }

    private final String name;
    private final int epochs;
    private LrSchedule schedule;
    private String unit = "steps";
    private long unitsPerEpoch = -1;
    private int maxSkipped;
    private String hint = "lower the learning rate";
    private Curve curve;
    private Resume resume;
    private String ifCorrupt = "delete it to train from scratch";

    /** A loop named {@code name} (progress bar, errors) of {@code epochs} epochs (0: nothing to train). */
    public TrainingLoop(String name, int epochs) {
        if (epochs < 0) {
            throw new IllegalArgumentException("epochs must be >= 0, got " + epochs);
        }
        this.name = name;
        this.epochs = epochs;
    }

    /** The learning rate per global step (default: none given is an error). */
    public TrainingLoop schedule(LrSchedule s) {
        this.schedule = s;
        return this;
    }

    /** Progress in {@code unit}s (default steps), {@code perEpoch} of them per epoch (for the total and ETA). */
    public TrainingLoop progress(String unitName, long perEpoch) {
        this.unit = unitName;
        this.unitsPerEpoch = perEpoch;
        return this;
    }

    /** How many non-finite steps a run tolerates (skipped) before it stops (default 0), and what to suggest. */
    public TrainingLoop nanGuard(int tolerated, String advice) {
        this.maxSkipped = tolerated;
        this.hint = advice;
        return this;
    }

    public TrainingLoop lossCurve(Curve c) {
        this.curve = c;
        return this;
    }

    public TrainingLoop checkpoint(Resume r) {
        this.resume = r;
        return this;
    }

    /** A checkpoint, and what to suggest when its body cannot be read (e.g. "rerun with --fresh"). */
    public TrainingLoop checkpoint(Resume r, String ifCorruptAdvice) {
        this.ifCorrupt = ifCorruptAdvice;
        return checkpoint(r);
    }

    /**
     * Loads the checkpoint whose header matched; a body that cannot be read (cut by a full disk, overwritten) is an
     * unexpected state (exit 3) with the advice given, not an internal error.
     */
    private Map<String, Object> loadCheckpoint() {
        try {
            return Checkpoint.load(resume.file(), resume.block(), resume.manager(), resume.optimizers());
        } catch (UbmException e) {
            throw e;
        } catch (RuntimeException e) {
            Throwable c = e.getCause() != null ? e.getCause() : e;
            String why = c instanceof java.io.EOFException ? "it ends early" : String.valueOf(c.getMessage());
            throw new UnexpectedStateException("checkpoint " + resume.file() + " is corrupt: " + ifCorrupt + " ("
                    + why + ")", e);
        }
    }

    /**
     * Completed epochs of a compatible checkpoint in {@code file} for a run of {@code epochs} epochs, or -1 when
     * there is none. A checkpoint with more completed epochs than the run asks for is not resumable (loading it would
     * give a model trained longer than asked): such a run trains from the first epoch and overwrites it.
     */
    public static int resumableEpoch(Path file, Map<String, Object> identity, int epochs) {
        return compatible(file, identity).map(m -> ((Number) m.get("epoch")).intValue()).filter(e -> e <= epochs)
                .orElse(-1);
    }

    private static Optional<Map<String, Object>> compatible(Path file, Map<String, Object> identity) {
        return Checkpoint.readMeta(file).filter(m -> m.get("identity") instanceof Map<?, ?> o
                && String.valueOf(new TreeMap<>(o)).equals(String.valueOf(new TreeMap<>(identity))));
    }

    /** Trains {@code model} to the last epoch, resuming from a compatible checkpoint. */
    public Outcome run(Trainable model) {
        return run(model, -1);
    }

    /**
     * Trains {@code model}; {@code stopAfter >= 0} stops after that many epochs of this call as if killed (tests).
     */
    public Outcome run(Trainable model, int stopAfter) {
        if (schedule == null) {
            throw new IllegalStateException("training loop " + name + " has no learning-rate schedule");
        }
        int start = 0;
        long step = 0;
        long unitsBefore = 0;
        LossCurve losses = curve == null ? null : new LossCurve(curve.series());
        if (resume != null && resumableEpoch(resume.file(), resume.identity(), epochs) >= 0) {
            Map<String, Object> meta = loadCheckpoint();
            start = ((Number) meta.get("epoch")).intValue();
            step = ((Number) meta.get("step")).longValue();
            unitsBefore = ((Number) meta.getOrDefault("tokens", 0L)).longValue();
            if (losses != null) {
                losses = previousCurve(start).orElse(losses);
            }
        }
        if (start >= epochs) {
            return new Outcome(start, 0, 0, 0, 0);
        }
        long total = unitsPerEpoch >= 0 ? unitsPerEpoch * (epochs - start) : -1;
        long skipped = 0;
        long unitsDone = 0;
        long steps = 0;
        int epochsRun = 0;
        long t0 = System.nanoTime();
        try (Progress bar = new Progress(name, Math.max(total, 0), unit)) {
            for (int e = start; e < epochs; e++) {
                long e0 = System.nanoTime();
                int batches = model.batches(e);
                int series = -1;
                double[] sum = null;
                int[] cnt = null;
                double[] epochSum = null;
                int[] epochCnt = null;
                for (int b = 0; b < batches; b++) {
                    float rate = schedule.at(step);
                    Step s = model.step(e, b, rate);
                    float[] v = s.losses();
                    if (v.length == 0) {
                        continue;
                    }
                    if (series < 0) {
                        series = v.length;
                        sum = new double[series];
                        cnt = new int[series];
                        epochSum = new double[series];
                        epochCnt = new int[series];
                    }
                    if (!Float.isFinite(v[0])) {
                        skipped++;
                        if (skipped > maxSkipped) {
                            throw new UnexpectedStateException(String.format(Locale.ROOT,
                                    "%s training diverged at epoch %d/%d, step %d (batch %d of %d): the loss is %s%s; "
                                            + "%s", name, e + 1, epochs, step + 1, b + 1, batches, v[0],
                                    skipped > 1 ? " (" + skipped + " non-finite steps so far)" : "", hint));
                        }
                    } else {
                        for (int i = 0; i < series; i++) {
                            if (!Float.isNaN(v[i])) {
                                sum[i] += v[i];
                                cnt[i]++;
                                epochSum[i] += v[i];
                                epochCnt[i]++;
                            }
                        }
                    }
                    step++;
                    steps++;
                    unitsDone += s.units();
                    bar.add(s.units());
                    boolean log = curve != null && (step % curve.every() == 0 || b == batches - 1);
                    if (log) {
                        double[] avg = means(sum, cnt);
                        losses.add(new LossCurve.Row(e, step, unitsBefore + unitsDone, rate, avg));
                        Arrays.fill(sum, 0);
                        Arrays.fill(cnt, 0);
                    }
                    if (log || curve == null) {
                        bar.status(String.format(Locale.ROOT, "epoch %d/%d loss %.4f", e + 1, epochs,
                                epochCnt[0] == 0 ? Double.NaN : epochSum[0] / epochCnt[0]));
                    }
                }
                String status = model.endEpoch(e, epochSum == null ? new double[0] : means(epochSum, epochCnt),
                        (System.nanoTime() - e0) / 1e9);
                if (status != null) {
                    bar.status(status);
                }
                if (resume != null) {
                    Map<String, Object> meta = new LinkedHashMap<>();
                    meta.put("epoch", e + 1);
                    meta.put("step", step);
                    meta.put("tokens", unitsBefore + unitsDone);
                    meta.put("identity", resume.identity());
                    Checkpoint.save(resume.file(), meta, resume.block(), resume.optimizers());
                }
                if (curve != null) {
                    losses.writeCsv(curve.csv());
                    losses.writePng(curve.png(), curve.title());
                }
                epochsRun++;
                if (stopAfter >= 0 && epochsRun >= stopAfter) {
                    break;
                }
            }
        }
        return new Outcome(start, epochsRun, steps, unitsDone, (System.nanoTime() - t0) / 1e9);
    }

    /** The curve written by the run being resumed, up to its checkpoint's epoch, when it has the same series. */
    private Optional<LossCurve> previousCurve(int completedEpochs) {
        if (!Files.isRegularFile(curve.csv())) {
            return Optional.empty();
        }
        try {
            LossCurve old = LossCurve.readCsv(curve.csv());
            if (!old.series().equals(curve.series())) {
                return Optional.empty();
            }
            old.truncateAfterEpoch(completedEpochs - 1);
            return Optional.of(old);
        } catch (RuntimeException e) {
            return Optional.empty(); // a broken curve file only loses the plot's history
        }
    }

    private static double[] means(double[] sum, int[] cnt) {
        double[] avg = new double[sum.length];
        for (int i = 0; i < avg.length; i++) {
            avg[i] = cnt[i] == 0 ? Double.NaN : sum[i] / cnt[i];
        }
        return avg;
    }
}
