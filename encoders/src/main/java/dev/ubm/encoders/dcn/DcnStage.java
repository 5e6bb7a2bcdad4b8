package dev.ubm.encoders.dcn;

import dev.ubm.core.AtomicFiles;
import dev.ubm.core.BadInputException;
import dev.ubm.core.BlockDir;
import dev.ubm.core.ChallengeDataDir;
import dev.ubm.core.Fingerprint;
import dev.ubm.core.StageListener;
import dev.ubm.data.AsOf;
import dev.ubm.data.Npy;
import dev.ubm.data.SplitWindows;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The DCN stage: materialises the data dir as of {@code cutoff − k·labelDays} for each training window (labels = the
 * label window after it), rebuilds the feature block there with the settings of the given one (through a
 * {@link FeatureBuilder}: this module does not depend on the features stage), trains DCN-v2 over
 * [PLE features, frozen seq vector] and writes the chosen hidden layer for every relevant client, computed from the
 * features at the real cutoff. Writes {@code client_ids.npy}, {@code embeddings.npy} (float32), {@code loss.csv} and
 * {@code block.json}; work files (as-of dirs and their feature blocks) go to {@code <out>/.dcn-work}.
 */
public final class DcnStage {
    /** Component name in block.json. */
    public static final String COMPONENT = "dcn";
    public static final String LOSS_CSV = "loss.csv";
    /** Work dir inside the output dir (as-of data dirs and their feature blocks). */
    public static final String WORK = ".dcn-work";

    private DcnStage() {
    }

    /**
     * One training window: as-of labels (rows = relevant clients) with the feature block computed on that as-of dir
     * and optionally the sequence block to train with for it.
     */
    public record TrainWindow(AsOf.Labels labels, BlockDir features, BlockDir seq) {
        public TrainWindow {
            if (labels == null || features == null) {
                throw new IllegalArgumentException("a training window needs labels and a feature block");
            }
        }
    }

    /**
     * Inputs of one run: one or more training windows (the most recent first), the feature block at the real
     * cutoff, and optionally the sequence block to embed with (also used for training in windows without their own).
     */
    public record Inputs(List<TrainWindow> windows, BlockDir features, BlockDir seq) {
        public Inputs {
            if (windows == null || windows.isEmpty() || features == null) {
                throw new IllegalArgumentException("at least one training window and the feature block are required");
            }
            for (TrainWindow w : windows) {
                if (w.seq() != null && seq == null) {
                    throw new BadInputException("a training sequence block needs the sequence block to embed with");
                }
            }
            windows = List.copyOf(windows);
        }

        /** Inputs with a single training window. */
        public static Inputs of(AsOf.Labels labels, BlockDir trainFeatures, BlockDir features, BlockDir trainSeq,
                BlockDir seq) {
            return new Inputs(List.of(new TrainWindow(labels, trainFeatures, trainSeq)), features, seq);
        }
    }

    /** Builds a feature block on {@code data} with the same settings as the block {@code like}. */
    @FunctionalInterface
    public interface FeatureBuilder {
        BlockDir.Meta build(BlockDir like, ChallengeDataDir data, Path outDir, StageListener listener);
    }

    /**
     * What the stage needs besides the data dir.
     *
     * @param net           the network and its training
     * @param features      the feature block at the real cutoff (its settings are reused for the training windows)
     * @param seq           the sequence block to feed in frozen, or null
     * @param seqTrain      sequence blocks as of each training window (most recent first), or empty: then {@code seq}
     *                      is used for training too (it has seen the label windows)
     * @param trainFeatures feature blocks as of each window to reuse instead of rebuilding them, or empty
     * @param windows       training windows of {@code labelDays} each, going back from the cutoff (1..12)
     * @param keepWork      keep {@code .dcn-work} after a successful run
     */
    public record Config(DcnConfig net, long seed, Path features, Path seq, List<Path> seqTrain,
            List<Path> trainFeatures, int windows, boolean keepWork) {
        public Config {
            if (net == null || features == null) {
                throw new IllegalArgumentException("the network config and the feature block are required");
            }
            seqTrain = seqTrain == null ? List.of() : List.copyOf(seqTrain);
            trainFeatures = trainFeatures == null ? List.of() : List.copyOf(trainFeatures);
            if (!seqTrain.isEmpty() && seq == null) {
                throw new BadInputException("--seq-train needs --seq (the block to embed with)");
            }
            if (!seqTrain.isEmpty() && seqTrain.size() != windows) {
                throw new BadInputException("--seq-train needs one block per window (" + windows + "), got "
                        + seqTrain.size());
            }
            if (windows < 1 || windows > 12) {
                throw new BadInputException("--windows must be in 1..12, got " + windows);
            }
            if (!trainFeatures.isEmpty() && trainFeatures.size() != windows) {
                throw new BadInputException("--train-features needs one block per window (" + windows + "), got "
                        + trainFeatures.size());
            }
        }
    }

    /**
     * The stage: prepares the training windows in {@code <outDir>/.dcn-work}, trains and writes the block.
     *
     * @param features builds the as-of feature blocks (unless {@link Config#trainFeatures} gives them)
     */
    public static Result run(ChallengeDataDir data, Config cfg, Path outDir, StageListener listener,
            FeatureBuilder features) {
        long t0 = System.nanoTime();
        data.require(ChallengeDataDir.Need.EVENTS);
        BlockDir feat = new BlockDir(cfg.features()).requireFinished().requireComplete();
        BlockDir seqBlock = cfg.seq() == null ? null : new BlockDir(cfg.seq()).requireFinished().requireComplete();
        List<BlockDir> seqTrainBlocks = new ArrayList<>();
        for (Path p : cfg.seqTrain()) {
            seqTrainBlocks.add(new BlockDir(p).requireFinished().requireComplete());
        }
        int labelDays = cfg.net().labelDays();
        Path work = outDir.toAbsolutePath().normalize().resolve(WORK);
        List<TrainWindow> trainWindows = new ArrayList<>();
        AsOf asOf = null;
        for (int k = 0; k < cfg.windows(); k++) {
            AsOf a = AsOf.materialise(data, work.resolve("asof-" + k), labelDays, k * labelDays);
            listener.progress(String.format(Locale.ROOT, "dcn: window %d: events before %s, labels from [%s, %s): %d "
                    + "of %d relevant clients bought", k + 1, fmt(a.asOf()), fmt(a.asOf()), fmt(a.cutoff()),
                    a.labels().buyers(), a.labels().rows()));
            BlockDir trainFeat;
            if (!cfg.trainFeatures().isEmpty()) {
                trainFeat = new BlockDir(cfg.trainFeatures().get(k)).requireFinished().requireComplete();
            } else {
                listener.progress("dcn: features as of " + fmt(a.asOf()) + " with the settings of " + feat.dir());
                Path out = work.resolve("features-asof-" + k);
                features.build(feat, a.dir(), out, listener);
                trainFeat = new BlockDir(out);
                if (!cfg.keepWork()) {
                    AtomicFiles.deleteTree(work.resolve("asof-" + k));
                }
            }
            checkSameColumns(trainFeat, feat);
            trainWindows.add(new TrainWindow(a.labels(), trainFeat, seqTrainBlocks.isEmpty() ? null
                    : seqTrainBlocks.get(k)));
            if (k == 0) {
                asOf = a;
            }
        }
        List<String> notes = new ArrayList<>();
        if (seqBlock != null && seqTrainBlocks.isEmpty()) {
            String w = "training uses the --seq vectors at the real cutoff; they have seen the label window (pass "
                    + "--seq-train with a sequence block computed as of " + fmt(asOf.asOf())
                    + (cfg.windows() > 1 ? " and one per earlier window" : "") + " to avoid it)";
            notes.add(w);
            listener.progress("dcn: note: " + w);
        }
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("data_dir", data.root().toString());
        info.put("events_dir", data.eventsDir().toString());
        info.put("as_of", fmt(asOf.asOf()));
        info.put("cutoff", fmt(asOf.cutoff()));
        info.put("windows", cfg.windows());
        info.put("prepare_seconds", Math.round((System.nanoTime() - t0) / 1e7) / 100.0);
        if (!notes.isEmpty()) {
            info.put("notes", notes);
        }
        Result r = fit(new Inputs(trainWindows, feat, seqBlock), outDir, cfg.net(), cfg.seed(), info);
        if (!cfg.keepWork()) {
            AtomicFiles.deleteTree(work);
        }
        return r;
    }

    /**
     * The training and inference feature blocks must have the same columns: the same feature names when both
     * block.json files list them, else the same width.
     */
    static void checkSameColumns(BlockDir train, BlockDir infer) {
        BlockDir.Meta a = train.readMeta();
        BlockDir.Meta b = infer.readMeta();
        Object na = a.config().get("feature_names");
        Object nb = b.config().get("feature_names");
        if (na != null && nb != null ? !na.equals(nb) : a.dims() != b.dims()) {
            throw new BadInputException("the as-of feature block " + train.dir() + " and " + infer.dir()
                    + " have different columns (" + (na != null && nb != null ? "feature_names differ"
                            : a.dims() + " and " + b.dims() + " dims") + ")");
        }
    }

    private static String fmt(java.time.LocalDateTime t) {
        return t.format(SplitWindows.TIMESTAMP);
    }

    /** What a run wrote. */
    public record Result(BlockDir block, BlockDir.Meta meta, DcnEncoder.Result fit) {
    }

    /** Trains over prepared blocks and writes the block (the second half of {@link #run}). */
    public static Result fit(Inputs in, Path outDir, DcnConfig cfg, long seed, Map<String, Object> info) {
        long t0 = System.nanoTime();
        BlockDir target = new BlockDir(outDir);
        try (BlockDir.Build build = target.build()) {
            BlockDir block = build.block();
            long[] ids = in.windows().get(0).labels().clientIds();
            List<DcnInputs> parts = new ArrayList<>();
            List<List<DcnEncoder.Head>> headParts = new ArrayList<>();
            for (TrainWindow w : in.windows()) {
                if (!java.util.Arrays.equals(ids, w.labels().clientIds())) {
                    throw new IllegalArgumentException("training windows must list the same clients in the same order");
                }
                parts.add(DcnInputs.load(ids, w.features(), w.seq() != null ? w.seq() : in.seq()));
                headParts.add(DcnEncoder.heads(cfg, w.labels()));
            }
            DcnInputs train = DcnInputs.stack(parts);
            List<DcnEncoder.Head> heads = DcnEncoder.Head.stack(headParts);
            DcnInputs infer = DcnInputs.load(ids, in.features(), in.seq());
            List<String> problems = new ArrayList<>();
            if (infer.missingFeatureRows() > 0) {
                problems.add(in.features().embeddingsFile() + " lacks " + infer.missingFeatureRows()
                        + " relevant clients (their feature rows are 0)");
            }
            if (infer.missingSeqRows() > 0) {
                problems.add(in.seq().embeddingsFile() + " lacks " + infer.missingSeqRows()
                        + " relevant clients (their sequence rows are 0)");
            }
            DcnEncoder.Result fit = new DcnEncoder(cfg, seed).fit(train, heads, infer, block.dir().resolve(LOSS_CSV));
            Npy.writeLongs(block.clientIdsFile(), ids);
            Npy.writeFloat32(block.embeddingsFile(), fit.embeddings(), fit.rows(), fit.dims());
            Map<String, Object> config = new LinkedHashMap<>(cfg.toMap());
            List<Object> windows = new ArrayList<>();
            for (TrainWindow w : in.windows()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("labels", w.labels().from().format(SplitWindows.TIMESTAMP) + " .. "
                        + w.labels().to().format(SplitWindows.TIMESTAMP));
                m.put("buyers", w.labels().buyers());
                m.put("features", w.features().dir().toString());
                m.put("seq", w.seq() != null ? w.seq().dir().toString()
                        : in.seq() == null ? "none" : "the --seq block");
                windows.add(m);
            }
            config.put("train_windows", windows);
            config.put("features", in.features().dir().toString());
            config.put("seq", in.seq() == null ? "none" : in.seq().dir().toString());
            config.putAll(fit.summary());
            if (!problems.isEmpty()) {
                config.put("warnings", problems);
            }
            if (info != null) {
                config.putAll(info);
            }
            List<Path> fp = new ArrayList<>();
            List<BlockDir> used = new ArrayList<>();
            for (TrainWindow w : in.windows()) {
                used.add(w.features());
                used.add(w.seq());
            }
            used.add(in.features());
            used.add(in.seq());
            for (BlockDir b : used) {
                if (b != null) {
                    fp.add(b.clientIdsFile());
                    fp.add(b.embeddingsFile());
                }
            }
            BlockDir.Meta meta = BlockDir.Meta.of(COMPONENT, fit.dims(), fit.rows(), "float32", config, seed,
                    Fingerprint.of(fp.toArray(Path[]::new)), (System.nanoTime() - t0) / 1e9);
            build.publish(meta);
            return new Result(target, meta, fit);
        }
    }
}
