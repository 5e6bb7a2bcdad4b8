package dev.ubm.cli;

import dev.ubm.core.AtomicFiles;
import dev.ubm.core.BadInputException;
import dev.ubm.core.BlockDir;
import dev.ubm.core.ChallengeDataDir;
import dev.ubm.core.OutputDir;
import dev.ubm.core.Task;
import dev.ubm.data.AsOf;
import dev.ubm.data.SplitWindows;
import dev.ubm.encoders.dcn.DcnConfig;
import dev.ubm.encoders.dcn.DcnEncoder;
import dev.ubm.encoders.dcn.DcnStage;
import dev.ubm.features.FeatureBlocks;
import dev.ubm.features.FeatureConfig;
import dev.ubm.features.FeatureSet;
import dev.ubm.nn.tabular.DcnV2;
import dev.ubm.nn.tabular.PleBins;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code ubm encode dcn}: the tabular block. Orchestrates three stages through dirs: materialises the data dir as of
 * {@code cutoff − label-days} (labels = the last label-days of the input), recomputes the feature block on it with
 * the same feature settings as {@code --features}, then trains DCN-v2 over [PLE features, frozen seq vector] and
 * writes the chosen hidden layer for every relevant client, computed from the features at the real cutoff.
 */
@Command(name = "dcn", header = "Train the DCN-v2 tabular encoder on labels inside the input and write its block.", mixinStandardHelpOptions = true,
        description = {"Train the DCN-v2 tabular encoder (PLE-embedded features + frozen sequence vector, multi-task "
                + "heads on labels from the last days of the input, masking-contrastive loss) and write its block.",
            "Work files (the as-of data dir and its feature block) go to <embeddings-dir>/.dcn-work and are removed "
                + "after a successful run unless --keep-work; the per-epoch losses go to <embeddings-dir>/loss.csv."})
public final class EncodeDcnCommand implements Callable<Integer> {
    static final String WORK = ".dcn-work";

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Option(names = "--data-dir", required = true, description = "Data dir (input/ events are used after a split).")
    Path dataDir;

    @Option(names = "--features", required = true,
            description = "Feature block dir of this data dir (ubm features; --set full recommended).")
    Path features;

    @Option(names = "--seq", description = "Sequence block dir to feed in frozen (optional).")
    Path seq;

    @Option(names = "--seq-train", arity = "1..*", description = {"Sequence blocks computed as of each training "
        + "window's start (cutoff - k x label-days, k = 1..windows; most recent first), used for training (optional).",
        "Without them the --seq vectors are used for training too; they have seen the label windows."})
    List<Path> seqTrain;

    @Option(names = "--embeddings-dir", required = true, description = "Output block dir.")
    Path embeddingsDir;

    @Option(names = "--all-events", description = "Use the root (all) events even if a split exists (submission).")
    boolean allEvents;

    @Option(names = "--train-features", arity = "1..*",
            description = "Reuse these as-of feature blocks (one per window, most recent first) instead of recomputing.")
    List<Path> trainFeatures;

    @Option(names = "--windows", description = "Training windows of label-days each, going back from the cutoff "
            + "(default: ${DEFAULT-VALUE}).")
    int windows = 1;

    @Option(names = "--keep-work", description = "Keep <embeddings-dir>/.dcn-work (as-of data dir, its features).")
    boolean keepWork;

    @Option(names = "--label-days", description = "Label window at the end of the input, days (default: ${DEFAULT-VALUE}).")
    int labelDays = DcnConfig.defaults().labelDays();

    @Option(names = "--tasks", arity = "1..*", description = "Supervised heads (default: churn conversion "
            + "propensity_category propensity_sku).")
    List<String> tasks;

    @Option(names = "--activity-weight", description = "Weight of the auxiliary head regressing log1p(events per "
            + "type) in the label window, 0 = off (default: ${DEFAULT-VALUE}).")
    float activityWeight = DcnConfig.defaults().activityWeight();

    @Option(names = "--epochs", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs = DcnConfig.defaults().epochs();

    @Option(names = "--batch-size", description = "Clients per step (default: ${DEFAULT-VALUE}).")
    int batchSize = DcnConfig.defaults().batchSize();

    @Option(names = "--lr", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    float lr = DcnConfig.defaults().learningRate();

    @Option(names = "--weight-decay", description = "L2 weight decay (default: ${DEFAULT-VALUE}).")
    float weightDecay = DcnConfig.defaults().weightDecay();

    @Option(names = "--bins", description = "PLE bins per feature (default: ${DEFAULT-VALUE}).")
    int bins = DcnConfig.defaults().bins();

    @Option(names = "--bin-method", description = "quantile or tree (default: ${DEFAULT-VALUE}).")
    String binMethod = "quantile";

    @Option(names = "--feature-dim", description = "Embedding size per numeric feature (default: ${DEFAULT-VALUE}).")
    int featureDim = DcnConfig.defaults().featureDim();

    @Option(names = "--relu", description = "ReLU after the per-feature embedding.")
    boolean relu;

    @Option(names = "--structure", description = "parallel or stacked (default: ${DEFAULT-VALUE}).")
    String structure = "parallel";

    @Option(names = "--cross-layers", description = "Low-rank cross layers (default: ${DEFAULT-VALUE}).")
    int crossLayers = DcnConfig.defaults().crossLayers();

    @Option(names = "--rank", description = "Rank of the cross layers (default: ${DEFAULT-VALUE}).")
    int rank = DcnConfig.defaults().rank();

    @Option(names = "--mlp", split = ",", description = "DenseNet MLP widths (default: 256,128).")
    int[] mlp = DcnConfig.defaults().mlpWidths();

    @Option(names = "--dropout", description = "Dropout after each MLP layer (default: ${DEFAULT-VALUE}).")
    float dropout = DcnConfig.defaults().dropout();

    @Option(names = "--dim", description = "Bottleneck (block) width (default: ${DEFAULT-VALUE}).")
    int dim = DcnConfig.defaults().blockDim();

    @Option(names = "--block-norm", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Layer-normalise the bottleneck (rows of norm sqrt(dim); default: ${DEFAULT-VALUE}).")
    boolean blockNorm;

    @Option(names = "--layer", description = "Hidden layer written as the block: bottleneck or dcn (default: ${DEFAULT-VALUE}).")
    String layer = "bottleneck";

    @Option(names = "--mask-prob", description = "Masking probability of the contrastive views (default: ${DEFAULT-VALUE}).")
    float maskProb = DcnConfig.defaults().maskProb();

    @Option(names = "--contrastive-weight", description = "InfoNCE weight, 0 = off (default: ${DEFAULT-VALUE}).")
    float contrastiveWeight = DcnConfig.defaults().contrastiveWeight();

    @Option(names = "--temperature", description = "InfoNCE temperature (default: ${DEFAULT-VALUE}).")
    float temperature = DcnConfig.defaults().temperature();

    @Option(names = "--holdout", description = "Share of clients held out for the validation loss (default: ${DEFAULT-VALUE}).")
    float holdout = DcnConfig.defaults().holdout();

    @Override
    public Integer call() {
        OutputDir.requireWritable(embeddingsDir, "--embeddings-dir");
        DcnConfig cfg = config();
        PrintStream log = System.err;
        ChallengeDataDir data = allEvents ? ChallengeDataDir.openAllEvents(dataDir) : ChallengeDataDir.open(dataDir);
        data.require(ChallengeDataDir.Need.EVENTS);
        if (seqTrain != null && seq == null) {
            throw new BadInputException("--seq-train needs --seq (the block to embed with)");
        }
        if (seqTrain != null && seqTrain.size() != windows) {
            throw new BadInputException("--seq-train needs one block per window (" + windows + "), got "
                    + seqTrain.size());
        }
        BlockDir feat = new BlockDir(features).requireComplete();
        BlockDir seqBlock = seq == null ? null : new BlockDir(seq).requireComplete();
        List<BlockDir> seqTrainBlocks = new ArrayList<>();
        if (seqTrain != null) {
            for (Path p : seqTrain) {
                seqTrainBlocks.add(new BlockDir(p).requireComplete());
            }
        }
        Path work = embeddingsDir.toAbsolutePath().normalize().resolve(WORK);
        long t0 = System.nanoTime();
        if (windows < 1 || windows > 12) {
            throw new BadInputException("--windows must be in 1..12, got " + windows);
        }
        if (trainFeatures != null && trainFeatures.size() != windows) {
            throw new BadInputException("--train-features needs one block per window (" + windows + "), got "
                    + trainFeatures.size());
        }
        List<DcnStage.TrainWindow> trainWindows = new ArrayList<>();
        FeatureConfig fc = trainFeatures == null ? featureConfigOf(feat) : null;
        AsOf asOf = null;
        for (int k = 0; k < windows; k++) {
            AsOf a = AsOf.materialise(data, work.resolve("asof-" + k), cfg.labelDays(), k * cfg.labelDays());
            log.printf(Locale.ROOT, "dcn: window %d: events before %s, labels from [%s, %s): %d of %d relevant "
                    + "clients bought%n", k + 1, fmt(a.asOf()), fmt(a.asOf()), fmt(a.cutoff()), a.labels().buyers(),
                    a.labels().rows());
            BlockDir trainFeat;
            if (trainFeatures != null) {
                trainFeat = new BlockDir(trainFeatures.get(k)).requireComplete();
            } else {
                log.printf(Locale.ROOT, "dcn: features --set %s as of %s%n", fc.set().cliName(), fmt(a.asOf()));
                FeatureBlocks.build(a.dir(), fc, work.resolve("features-asof-" + k));
                trainFeat = new BlockDir(work.resolve("features-asof-" + k));
                if (!keepWork) {
                    AtomicFiles.deleteTree(work.resolve("asof-" + k));
                }
            }
            checkSameColumns(trainFeat, feat);
            trainWindows.add(new DcnStage.TrainWindow(a.labels(), trainFeat,
                    seqTrainBlocks.isEmpty() ? null : seqTrainBlocks.get(k)));
            if (k == 0) {
                asOf = a;
            }
        }
        List<String> warnings = new ArrayList<>();
        if (seqBlock != null && seqTrainBlocks.isEmpty()) {
            String w = "training uses the --seq vectors at the real cutoff; they have seen the label window (pass "
                    + "--seq-train with a sequence block computed as of " + fmt(asOf.asOf())
                    + (windows > 1 ? " and one per earlier window" : "") + " to avoid it)";
            warnings.add(w);
            log.println("dcn: note: " + w);
        }
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("data_dir", data.root().toString());
        info.put("events_dir", data.eventsDir().toString());
        info.put("as_of", fmt(asOf.asOf()));
        info.put("cutoff", fmt(asOf.cutoff()));
        info.put("windows", windows);
        info.put("prepare_seconds", Math.round((System.nanoTime() - t0) / 1e7) / 100.0);
        if (!warnings.isEmpty()) {
            info.put("notes", warnings);
        }
        DcnStage.Result r = DcnStage.run(new DcnStage.Inputs(trainWindows, feat, seqBlock), embeddingsDir, cfg,
                common.seed(), info);
        if (!keepWork) {
            AtomicFiles.deleteTree(work);
        }
        List<DcnEncoder.Epoch> ep = r.fit().epochs();
        DcnEncoder.Epoch first = ep.get(0);
        DcnEncoder.Epoch last = ep.get(ep.size() - 1);
        spec.commandLine().getOut().println(String.format(Locale.ROOT,
                "dcn: wrote %d x %d to %s in %.1f s; loss %.4f -> %.4f (supervised %.4f -> %.4f, held-out %.4f -> "
                        + "%.4f; 1.0 = label prior per head)",
                r.meta().rows(), r.meta().dims(), r.block().dir(), (System.nanoTime() - t0) / 1e9,
                first.trainLoss(), last.trainLoss(), first.trainSupervised(), last.trainSupervised(),
                first.validationSupervised(), last.validationSupervised()));
        return 0;
    }

    DcnConfig config() {
        List<Task> ts = new ArrayList<>();
        if (tasks == null || tasks.isEmpty()) {
            ts.addAll(DcnConfig.DEFAULT_TASKS);
        } else {
            for (String t : tasks) {
                ts.add(Task.ofName(t));
            }
        }
        return new DcnConfig(bins, parseEnum(PleBins.Method.class, binMethod, "--bin-method"), featureDim, relu,
                parseEnum(DcnV2.Structure.class, structure, "--structure"), crossLayers, rank, mlp, dropout, dim,
                blockNorm,
                parseEnum(DcnConfig.Layer.class, layer, "--layer"), ts, activityWeight, labelDays, epochs, batchSize, lr,
                weightDecay, maskProb, contrastiveWeight, temperature, holdout);
    }

    private static <E extends Enum<E>> E parseEnum(Class<E> type, String value, String flag) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(value.trim())) {
                return e;
            }
        }
        List<String> names = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            names.add(e.name().toLowerCase(Locale.ROOT));
        }
        throw new BadInputException(flag + " must be one of " + String.join(", ", names) + ", got '" + value + "'");
    }

    /** The feature settings recorded in a feature block's block.json, so the as-of block has the same columns. */
    @SuppressWarnings("unchecked")
    static FeatureConfig featureConfigOf(BlockDir feat) {
        if (!Files.isRegularFile(feat.metaFile())) {
            throw new BadInputException("missing " + feat.metaFile() + " (the feature settings are read from it)");
        }
        BlockDir.Meta meta = feat.readMeta();
        Map<String, Object> c = meta.config();
        Object set = c.get("set");
        if (set == null) {
            throw new BadInputException(feat.metaFile() + " is not a feature block (no config.set; component "
                    + meta.component() + ")");
        }
        FeatureConfig fc = FeatureConfig.defaults(FeatureSet.ofName(String.valueOf(set)), meta.seed());
        if (c.get("num_days") instanceof List<?> l) {
            fc = fc.withNumDays(ints((List<Object>) l));
        }
        if (c.get("windows") instanceof List<?> l) {
            fc = fc.withWindows(ints((List<Object>) l));
        }
        if (c.get("top_n") instanceof Number n) {
            fc = fc.withTopN(n.intValue());
        }
        List<Integer> trend = c.get("trend_windows") instanceof List<?> l ? ints((List<Object>) l)
                : fc.trendWindows();
        double decay = c.get("decay_days") instanceof Number n ? n.doubleValue() : fc.decayDays();
        double buyDecay = c.get("buy_decay_days") instanceof Number n ? n.doubleValue() : fc.buyDecayDays();
        int gap = c.get("session_gap_minutes") instanceof Number n ? n.intValue() : fc.sessionGapMinutes();
        return new FeatureConfig(fc.set(), fc.numDays(), fc.topN(), fc.windows(), trend, decay, buyDecay, gap,
                fc.seed());
    }

    private static List<Integer> ints(List<Object> l) {
        List<Integer> out = new ArrayList<>();
        for (Object o : l) {
            out.add(((Number) o).intValue());
        }
        return out;
    }

    /** The training and inference feature blocks must have the same columns (names when both list them). */
    static void checkSameColumns(BlockDir train, BlockDir infer) {
        Path a = train.dir().resolve(FeatureBlocks.FEATURE_NAMES);
        Path b = infer.dir().resolve(FeatureBlocks.FEATURE_NAMES);
        try {
            if (Files.isRegularFile(a) && Files.isRegularFile(b)
                    && !Files.readAllLines(a).equals(Files.readAllLines(b))) {
                throw new BadInputException("the as-of feature block " + train.dir() + " and " + infer.dir()
                        + " have different columns (" + FeatureBlocks.FEATURE_NAMES + " differ)");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String fmt(java.time.LocalDateTime t) {
        return t.format(SplitWindows.TIMESTAMP);
    }
}
