package dev.ubm.cli;

import dev.ubm.core.AtomicFiles;
import dev.ubm.core.ChallengeDataDir;
import dev.ubm.core.OutputDir;
import dev.ubm.data.AsOf;
import dev.ubm.encoders.sequence.SeqBench;
import dev.ubm.encoders.sequence.SeqConfig;
import dev.ubm.encoders.sequence.SeqEncoder;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ubm encode seq}: trains the Argus-like sequence encoder on the data dir's input events and writes its
 * block (one L2-normalised row per relevant client). Rerunning resumes from the last epoch checkpoint.
 */
@Command(name = "seq", header = "Train the causal-transformer sequence encoder and write its block.", mixinStandardHelpOptions = true,
        description = {"Train the causal-transformer sequence encoder and write its embedding block.",
            "Checkpoints every epoch in <embeddings-dir>/.seq-work and resumes after a kill; loss curves go to",
            "<embeddings-dir>/train_loss.csv and train_loss.png."})
public final class EncodeSeqCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Mixin
    DeviceOption device;

    @Option(names = "--data-dir", required = true, description = "Data dir (input/ events are used after a split).")
    Path dataDir;

    @Option(names = "--embeddings-dir", required = true, description = "Output block dir.")
    Path embeddingsDir;

    @Option(names = "--all-events", description = "Embed the root (all) events even if a split exists (submission).")
    boolean allEvents;

    @Option(names = "--epochs", description = "Training epochs (default: ${DEFAULT-VALUE}).")
    int epochs = SeqConfig.defaults().epochs();

    @Option(names = "--dim", description = "Model width = embedding dims (default: ${DEFAULT-VALUE}).")
    int dim = SeqConfig.defaults().dim();

    @Option(names = "--layers", description = "Transformer layers (default: ${DEFAULT-VALUE}).")
    int layers = SeqConfig.defaults().layers();

    @Option(names = "--heads", description = "Attention heads (default: ${DEFAULT-VALUE}).")
    int heads = SeqConfig.defaults().heads();

    @Option(names = "--max-len", description = "Tokens per sequence incl. BOS and NOW (default: ${DEFAULT-VALUE}).")
    int maxLen = SeqConfig.defaults().maxLen();

    @Option(names = "--history-len", description = "Events kept per client for training (default: 2 x max-len, at least ${DEFAULT-VALUE}).")
    int historyLen = SeqConfig.defaults().historyLen();

    @Option(names = "--batch-size", description = "Sequences per step (default: ${DEFAULT-VALUE}).")
    int batchSize = SeqConfig.defaults().batchSize();

    @Option(names = "--lr", description = "Peak learning rate (default: ${DEFAULT-VALUE}).")
    float lr = SeqConfig.defaults().lr();

    @Option(names = "--dropout", description = "Dropout (default: ${DEFAULT-VALUE}).")
    float dropout = SeqConfig.defaults().dropout();

    @Option(names = "--hash-buckets", description = "Rows of the shared hashed table (default: ${DEFAULT-VALUE}).")
    int hashBuckets = SeqConfig.defaults().hashBuckets();

    @Option(names = "--hash-dim", description = "Width of one table row (default: ${DEFAULT-VALUE}).")
    int hashDim = SeqConfig.defaults().hashDim();

    @Option(names = "--negatives", description = "Uniform negatives per batch (default: ${DEFAULT-VALUE}).")
    int negatives = SeqConfig.defaults().uniformNegatives();

    @Option(names = "--objectives", description = {"Objectives and weights, e.g. "
        + "next_item=1,future_window=1,next_type=0.3,time_gap=0.3,activity=1[,next_url=0.5][,targets=1.5]; targets "
        + "reads target/propensity_{category,sku,price}.npy (default: ${DEFAULT-VALUE})."})
    String objectives = SeqConfig.defaults().objectivesSpec();

    @Option(names = "--time-bias", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Relative time attention bias (default: ${DEFAULT-VALUE}).")
    boolean timeBias;

    @Option(names = "--train-on", description = "Train on all clients with events or only the relevant ones: all|relevant (default: ${DEFAULT-VALUE}).")
    String trainOn = "all";

    @Option(names = "--train-clients", description = {"Clients per epoch: a fresh random sample of the --train-on set "
        + "each epoch; 0 = all of them (default: ${DEFAULT-VALUE}). Bounds the training time on millions of clients."})
    int trainClients;

    @Option(names = "--fresh", description = "Ignore an existing checkpoint and corpus; train from scratch.")
    boolean fresh;

    @Option(names = "--keep-work", description = "Keep the memory-mapped corpus in <embeddings-dir>/.seq-work.")
    boolean keepWork;

    @Option(names = "--model-from", description = {"Encode with the model trained in this block dir (its "
        + ".seq-work/model.ckpt) without training; model flags are taken from the checkpoint."})
    Path modelFrom;

    @Option(names = "--as-of-days", description = {"With --model-from: encode the data dir as it was this many days "
        + "before its cutoff (the as-of dir of ubm encode dcn with --label-days N), e.g. for dcn --seq-train."})
    int asOfDays;

    @Option(names = "--readout", description = {"What a client's vector holds: now (the NOW token's output, dim "
        + "columns) or now+targets (plus the targets head's probabilities at NOW, one column per target category, "
        + "sku and price bucket; needs the targets objective). Default: now, or with --model-from the model's."})
    String readout;

    @Option(names = "--infer-batch", description = "Sequences per inference batch (default: ${DEFAULT-VALUE}).")
    int inferBatch = SeqConfig.defaults().inferBatch();

    @Spec
    CommandSpec spec;

    @Option(names = "--bench-dir", hidden = true,
            description = "Benchmark instead of training: dump one batch, time training steps and inference.")
    Path benchDir;

    @Option(names = "--bench-steps", hidden = true, description = "Timed steps of --bench-dir (default: ${DEFAULT-VALUE}).")
    int benchSteps = 30;

    @Override
    public Integer call() {
        OutputDir.requireWritable(embeddingsDir, "--embeddings-dir");
        device.select();
        if (!"all".equals(trainOn) && !"relevant".equals(trainOn)) {
            throw new dev.ubm.core.BadInputException("--train-on must be all or relevant, got '" + trainOn + "'");
        }
        if (asOfDays < 0) {
            throw new dev.ubm.core.BadInputException("--as-of-days must be >= 0, got " + asOfDays);
        }
        if (asOfDays > 0 && modelFrom == null) {
            throw new dev.ubm.core.BadInputException("--as-of-days needs --model-from (the model to encode with)");
        }
        if (modelFrom != null) {
            return encodeWithModel();
        }
        SeqConfig cfg = SeqConfig.builder().epochs(epochs).dim(dim).layers(layers).heads(heads).maxLen(maxLen)
                .historyLen(Math.max(historyLen, 2 * maxLen)).batchSize(batchSize).lr(lr).dropout(dropout)
                .hashBuckets(hashBuckets).hashDim(hashDim).uniformNegatives(negatives)
                .objectives(SeqConfig.parseObjectives(objectives)).trainOnAll("all".equals(trainOn)).trainClients(trainClients).timeBias(timeBias)
                .inferBatch(inferBatch).readout(readout == null ? SeqConfig.Readout.NOW : SeqConfig.Readout.parse(readout))
                .build();
        ChallengeDataDir data = allEvents ? ChallengeDataDir.openAllEvents(dataDir) : ChallengeDataDir.open(dataDir);
        data.require(ChallengeDataDir.Need.EVENTS);
        spec.commandLine().getErr().println("seq: " + data.describeEvents());
        spec.commandLine().getErr().flush();
        PrintStream log = System.err;
        if (benchDir != null) {
            SeqBench.run(data, benchDir, cfg, common.seed(), benchSteps, log);
            return 0;
        }
        SeqEncoder.Result r = SeqEncoder.run(data, cfg, embeddingsDir, common.listener(spec), common.seed(),
                new SeqEncoder.Options(fresh, keepWork, -1));
        log.printf(Locale.ROOT, "seq: wrote %d x %d to %s (trained epochs %d..%d, %.0f tokens/s; inference %.0f "
                + "clients/s on %s)%n", r.rows(), r.dims(), r.block().dir(), r.startEpoch() + 1,
                r.startEpoch() + r.epochsTrained(), r.trainTokensPerSecond(), r.inferClientsPerSecond(), r.device());
        return 0;
    }

    /** {@code --model-from}: no training, only inference of the (optionally as-of) data dir's relevant clients. */
    private int encodeWithModel() {
        SeqEncoder.requireCheckpoint(modelFrom);
        PrintStream log = System.err;
        List<String> ignored = new ArrayList<>();
        for (OptionSpec o : spec.commandLine().getParseResult().matchedOptions()) {
            if (MODEL_FLAGS.contains(o.longestName())) {
                ignored.add(o.longestName());
            }
        }
        if (!ignored.isEmpty()) {
            spec.commandLine().getErr().println("seq: note: " + String.join(", ", ignored) + " ignored: the "
                    + "model's settings come from " + modelFrom);
        }
        ChallengeDataDir data = allEvents ? ChallengeDataDir.openAllEvents(dataDir) : ChallengeDataDir.open(dataDir);
        data.require(ChallengeDataDir.Need.EVENTS);
        spec.commandLine().getErr().println("seq: " + data.describeEvents());
        spec.commandLine().getErr().flush();
        Path asOfDir = null;
        if (asOfDays > 0) {
            asOfDir = embeddingsDir.toAbsolutePath().normalize().resolve(".seq-asof");
            AsOf a = AsOf.materialise(data, asOfDir, asOfDays);
            log.printf(Locale.ROOT, "seq: as-of dir %s: events before %s%n", asOfDir, a.asOf());
            data = a.dir();
        }
        try {
            SeqEncoder.Result r = SeqEncoder.encodeWith(data, modelFrom, embeddingsDir, common.listener(spec),
                    inferBatch, readout == null ? null : SeqConfig.Readout.parse(readout),
                    new SeqEncoder.Options(fresh, keepWork, -1));
            log.printf(Locale.ROOT, "seq: wrote %d x %d to %s with the model of %s (inference %.0f clients/s on %s)%n",
                    r.rows(), r.dims(), r.block().dir(), modelFrom, r.inferClientsPerSecond(), r.device());
        } finally {
            if (asOfDir != null && !keepWork) {
                AtomicFiles.deleteTreeQuietly(asOfDir);
            }
        }
        return 0;
    }

    /** Flags that shape or train the model: meaningless with --model-from. */
    private static final Set<String> MODEL_FLAGS = Set.of("--epochs", "--dim", "--layers", "--heads", "--max-len",
            "--history-len", "--batch-size", "--lr", "--dropout", "--hash-buckets", "--hash-dim", "--negatives",
            "--objectives", "--time-bias", "--no-time-bias", "--train-on", "--train-clients");
}
