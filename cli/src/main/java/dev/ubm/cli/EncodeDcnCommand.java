package dev.ubm.cli;

import dev.ubm.core.BadInputException;
import dev.ubm.core.ChallengeDataDir;
import dev.ubm.core.OutputDir;
import dev.ubm.core.Task;
import dev.ubm.data.TrainClients;
import dev.ubm.encoders.dcn.DcnConfig;
import dev.ubm.encoders.dcn.DcnEncoder;
import dev.ubm.encoders.dcn.DcnStage;
import dev.ubm.features.FeatureBlocks;
import dev.ubm.nn.tabular.DcnV2;
import dev.ubm.nn.tabular.PleBins;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code ubm encode dcn}: the tabular block. Wiring only: the flags become a {@link DcnStage.Config}, and
 * {@link DcnStage#run} does the work, rebuilding the as-of feature blocks with {@link FeatureBlocks#rebuild}.
 */
@Command(name = "dcn", header = "Train the DCN-v2 tabular encoder on labels inside the input and write its block.", mixinStandardHelpOptions = true,
        description = {"Train the DCN-v2 tabular encoder (PLE-embedded features + frozen side blocks, multi-task "
                + "heads on labels from the last days of the input, masking-contrastive loss) and write its block.",
            "Work files (the as-of data dir and its feature block) go to <embeddings-dir>/.dcn-work and are removed "
                + "after a successful run unless --keep-work; the per-epoch losses go to <embeddings-dir>/loss.csv.",
            "Resumable: the net is saved there after every epoch, and a rerun with the same settings and inputs goes "
                + "on from the last finished epoch to the same block as an uninterrupted run."})
public final class EncodeDcnCommand implements Callable<Integer> {
    static final String WORK = DcnStage.WORK;

    @Mixin
    CommonOptions common;

    @Mixin
    DeviceOption device;

    @Spec
    CommandSpec spec;

    @Option(names = "--data-dir", required = true, description = "Data dir (input/ events are used after a split).")
    Path dataDir;

    @Option(names = "--features", required = true,
            description = "Feature block dir of this data dir (ubm features; --set full recommended).")
    Path features;

    @Option(names = "--seq", description = "Sequence block dir to feed in frozen (optional; the first side block, "
            + "as --side).")
    Path seq;

    @Option(names = "--seq-train", arity = "1..*", description = {"As-of twins of --seq (as --side-train).",
        "Without them the --seq vectors are used for training too; they have seen the label windows."})
    List<Path> seqTrain;

    /** One --side block with its optional --side-train twins. */
    static final class SideArg {
        @Option(names = "--side", required = true, description = {"A frozen block dir fed in beside the features "
            + "(sequence, graph, the baseline feature set ...); repeatable, each standardised on its own and "
            + "concatenated in the order given (after --seq)."})
        Path block;

        @Option(names = "--side-train", arity = "1..*", description = {"The as-of twins of the --side before it: that "
            + "block computed on each training window's as-of dir ('ubm asof --end-offset-days 14k', k = 0..windows-1;"
            + " most recent first). Without them the --side block is used for training too; it has seen the label "
            + "windows."})
        List<Path> train;
    }

    @ArgGroup(exclusive = false, multiplicity = "0..*")
    List<SideArg> sides;

    @Option(names = "--train-clients", defaultValue = TrainClients.DEFAULT, description = {"The clients each window "
        + "trains on: relevant, all (the relevant clients plus every client with an event before the window's as-of "
        + "cutoff) or N (the relevant clients plus a uniform sample of those others drawn with --seed, N in all; "
        + "default: ${DEFAULT-VALUE}). Side twins and --train-features should be made on as-of dirs with the same "
        + "choice (ubm asof --train-clients, same --seed)."})
    String trainClients;

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

    @Option(names = "--tasks", arity = "1..*", description = "Supervised heads (default: all six; a propensity task "
            + "whose target list the data dir lacks is dropped with a note, unless named here).")
    List<String> tasks;

    @Option(names = "--activity-weight", description = "Weight of the auxiliary head regressing log1p(events per "
            + "type) in the label window, 0 = off (default: ${DEFAULT-VALUE}).")
    float activityWeight = DcnConfig.defaults().activityWeight();

    @Option(names = "--epochs", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs = DcnConfig.defaults().epochs();

    @Option(names = "--batch-size", description = "Clients per step (default: ${DEFAULT-VALUE}).")
    int batchSize = DcnConfig.defaults().batchSize();

    @Option(names = "--lr", description = "AdamW learning rate (default: ${DEFAULT-VALUE}).")
    float lr = DcnConfig.defaults().learningRate();

    @Option(names = "--weight-decay", description = "AdamW (decoupled) weight decay (default: ${DEFAULT-VALUE}).")
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

    @Option(names = "--layer", description = "Hidden layer written as the block: bottleneck, dcn, or logits (the bottleneck then the standardised logits of every binary head) (default: ${DEFAULT-VALUE}).")
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
        device.select();
        long t0 = System.nanoTime();
        ChallengeDataDir data = allEvents ? ChallengeDataDir.openAllEvents(dataDir) : ChallengeDataDir.open(dataDir);
        TrainClients clients = TrainClients.parse(trainClients);
        DcnStage.Config cfg = new DcnStage.Config(config(), common.seed(), features, sides(), trainFeatures,
                windows, keepWork, clients, tasks != null && !tasks.isEmpty());
        DcnStage.Result r = DcnStage.run(data, cfg, embeddingsDir, common.listener(spec), FeatureBlocks::rebuild);
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

    /** --seq (with --seq-train) first, then every --side (with its --side-train), in order. */
    List<DcnStage.Side> sides() {
        List<DcnStage.Side> out = new ArrayList<>();
        if (seq != null) {
            out.add(new DcnStage.Side(seq, seqTrain));
        } else if (seqTrain != null && !seqTrain.isEmpty()) {
            throw new BadInputException("--seq-train needs --seq (the block to embed with)");
        }
        if (sides != null) {
            for (SideArg a : sides) {
                out.add(new DcnStage.Side(a.block, a.train));
            }
        }
        return out;
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
}
