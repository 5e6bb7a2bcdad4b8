package dev.ubm.cli;

import dev.ubm.core.BadInputException;
import dev.ubm.core.ChallengeDataDir;
import dev.ubm.core.OutputDir;
import dev.ubm.gnn.GnnStage;
import dev.ubm.gnn.GraphConfig;
import dev.ubm.gnn.Relation;
import dev.ubm.gnn.SvdBaseline;
import dev.ubm.gnn.TwhinConfig;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ubm gnn}: the graph block (TwHIN embeddings of the behaviour graph, or the randomized-SVD baseline). */
@Command(name = "gnn", header = "Write the graph block: TwHIN embeddings or the randomized-SVD baseline.",
        description = {"Builds the behaviour graph (clients, skus, categories, urls, query prefixes, price buckets) "
                + "from the events and writes a block dir with one row per relevant client: TwHIN embeddings, or "
                + "the randomized-SVD baseline. The last column flags clients without edges.",
            "TwHIN checkpoints every epoch in <embeddings-dir>/" + GnnStage.CHECKPOINT_DIR
                + "; rerunning the same command resumes after a kill."})
public final class GnnCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Option(names = "--data-dir", required = true, description = "Data dir in the challenge layout.")
    Path dataDir;

    @Option(names = "--embeddings-dir", required = true, description = "Output block dir.")
    Path embeddingsDir;

    @Option(names = "--method", defaultValue = "twhin", description = {"twhin, svd, or walks (no embedding: the "
            + "--target-walks columns alone, standardised by combine) (default: ${DEFAULT-VALUE})."})
    GnnStage.Method method;

    @Option(names = "--dim", defaultValue = "64",
            description = "TwHIN dimension; SVD rank per matrix (default: ${DEFAULT-VALUE}).")
    int dim;

    @Option(names = "--epochs", defaultValue = "10", description = "TwHIN epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--negatives", defaultValue = "10",
            description = "TwHIN negatives per positive edge (default: ${DEFAULT-VALUE}).")
    int negatives;

    @Option(names = {"--chunk", "--batch-size"}, defaultValue = "" + TwhinConfig.DEFAULT_CHUNK,
            description = "TwHIN positive edges per chunk; they share one set of negatives per side "
                    + "(2..8192, default: ${DEFAULT-VALUE}).")
    int chunk;

    @Option(names = "--lr", defaultValue = "0.05", description = "TwHIN Adagrad learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--relations", defaultValue = "all",
            description = "Comma-separated relations: buy, add_to_cart, remove_from_cart, visit, search, sku_category, "
                    + "sku_price, or all (default: ${DEFAULT-VALUE}).")
    String relations;

    @Option(names = "--relation-weights", description = "Share multipliers of TwHIN draws, e.g. visit=0.5,buy=2.")
    String relationWeights;

    @Option(names = "--weight-transform", defaultValue = "log1p",
            description = "Edge draw weight from the decayed count: linear, sqrt, log1p (default: ${DEFAULT-VALUE}).")
    TwhinConfig.WeightTransform weightTransform;

    @Option(names = "--threads", description = "Worker threads (default: all cores).")
    Integer threads;

    @Option(names = "--half-life-days", defaultValue = "60",
            description = "Event weight half life before the cutoff (default: ${DEFAULT-VALUE}).")
    double halfLifeDays;

    @Option(names = "--query-prefix", defaultValue = "3",
            description = "Query node = first k codes of the query (default: ${DEFAULT-VALUE}).")
    int queryPrefix;

    @Option(names = "--min-item-clients", defaultValue = "2",
            description = "Drop url/query nodes seen by fewer clients (default: ${DEFAULT-VALUE}).")
    int minItemClients;

    @Option(names = "--relevant-clients-only", description = "Only relevant clients become nodes (default: all).")
    boolean relevantOnly;

    @Option(names = "--all-events", description = "Embed the root events even when a split exists (submissions).")
    boolean allEvents;

    @Option(names = "--storage", defaultValue = "auto",
            description = "TwHIN table: heap, mmap, or auto (mmap when the table is large) (default: ${DEFAULT-VALUE}).")
    TwhinConfig.Storage storage;

    @Option(names = "--svd-oversample", defaultValue = "10", description = "SVD oversampling (default: ${DEFAULT-VALUE}).")
    int oversample;

    @Option(names = "--svd-power-iters", defaultValue = "2",
            description = "SVD power iterations (default: ${DEFAULT-VALUE}).")
    int powerIters;

    @Option(names = "--no-resume", description = "Discard an existing checkpoint instead of resuming from it.")
    boolean noResume;

    @Option(names = "--keep-checkpoint", description = "Keep the last checkpoint after success.")
    boolean keepCheckpoint;

    @Option(names = "--target-walks", negatable = true, defaultValue = "false", fallbackValue = "true",
            description = {"Append, per target sku of target/propensity_sku.npy and propensity_new_sku.npy, two "
                + "two-step walk scores: client -> its skus -> their other holders -> target (buy and cart edges), "
                + "then client -> its visited urls -> their other visitors -> target (default: ${DEFAULT-VALUE})."})
    boolean targetWalks;

    @Override
    public Integer call() {
        OutputDir.requireWritable(embeddingsDir, "--embeddings-dir");
        ChallengeDataDir data = allEvents ? ChallengeDataDir.openAllEvents(dataDir) : ChallengeDataDir.open(dataDir);
        data.require(ChallengeDataDir.Need.EVENTS);
        spec.commandLine().getErr().println("gnn: " + data.describeEvents());
        spec.commandLine().getErr().flush();
        int t = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        GnnStage.Config cfg;
        try {
            GraphConfig graph = new GraphConfig(Relation.parseList(relations), halfLifeDays, queryPrefix,
                    minItemClients, !relevantOnly);
            TwhinConfig twhin = new TwhinConfig(dim, epochs, negatives, chunk, lr, t, common.seed(), 0.1,
                    weightTransform, parseWeights(relationWeights), storage);
            SvdBaseline.Config svd = new SvdBaseline.Config(dim, oversample, powerIters, common.seed(), t);
            cfg = new GnnStage.Config(method, graph, twhin, svd, !noResume, keepCheckpoint, targetWalks);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("ubm gnn: " + e.getMessage(), e);
        }
        GnnStage.Result r = GnnStage.run(data, cfg, embeddingsDir, common.listener(spec));
        spec.commandLine().getOut().println("gnn: wrote " + r.block().dir() + " (" + r.rows() + " clients x " + r.dims()
                + " dims, " + r.clientsWithoutEdges() + " without edges)");
        return 0;
    }

    static Map<Relation, Double> parseWeights(String spec) {
        Map<Relation, Double> m = new EnumMap<>(Relation.class);
        if (spec == null || spec.isBlank()) {
            return m;
        }
        for (String part : spec.split(",")) {
            String[] kv = part.split("=");
            if (kv.length != 2) {
                throw new BadInputException("--relation-weights: expected relation=weight, found '" + part + "'");
            }
            try {
                m.put(Relation.of(kv[0]), Double.parseDouble(kv[1].trim()));
            } catch (NumberFormatException e) {
                throw new BadInputException("--relation-weights: '" + kv[1] + "' is not a number");
            }
        }
        return m;
    }
}
