package dev.ubm.cli;

import dev.ubm.core.BlockDir;
import dev.ubm.core.ChallengeDataDir;
import dev.ubm.core.OutputDir;
import dev.ubm.features.FeatureBlocks;
import dev.ubm.features.FeatureConfig;
import dev.ubm.features.FeatureSet;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ubm features}: the hand-crafted feature block (full) or the organisers' baseline, as a block dir. */
@Command(name = "features", header = "Write the hand-crafted feature block (full) or the organisers' baseline set.", mixinStandardHelpOptions = true,
        description = {"Writes a feature block (client_ids.npy, embeddings.npy float32, block.json, features.txt) with "
                + "one row per relevant client.",
            "--set full: a few hundred features (counts, recency, gaps, trends, cart, price, targets, queries, time, "
                + "sessions). --set baseline: the organisers' aggregated-features baseline (320 dims by default)."})
public final class FeaturesCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Option(names = "--data-dir", required = true, description = "Data dir in the challenge layout (input/ events after a split).")
    Path dataDir;

    @Option(names = "--embeddings-dir", required = true, description = "Output block dir.")
    Path embeddingsDir;

    @Option(names = "--set", defaultValue = "full", description = "full or baseline (default: ${DEFAULT-VALUE}).")
    String set;

    @Option(names = "--num-days", arity = "1..*", description = "Baseline windows in days (default: 1 7 30).")
    List<Integer> numDays;

    @Option(names = "--top-n", defaultValue = "10", description = "Baseline: top values per column (default: ${DEFAULT-VALUE}).")
    int topN;

    @Option(names = "--windows", arity = "1..*", description = "Full set: count windows in days (default: 1 7 14 30 60).")
    List<Integer> windows;

    @Option(names = "--all-events", description = "Embed the raw (root) events even when a split exists (final submissions).")
    boolean allEvents;

    @Option(names = "--chunks", defaultValue = "0",
            description = "Process the clients in this many chunks (0 = one per 40M events; the result is the same).")
    int chunks;

    @Override
    public Integer call() {
        OutputDir.requireWritable(embeddingsDir, "--embeddings-dir");
        FeatureSet s = FeatureSet.ofName(set);
        FeatureConfig cfg = FeatureConfig.defaults(s, common.seed());
        if (numDays != null) {
            cfg = cfg.withNumDays(numDays);
        }
        if (windows != null) {
            cfg = cfg.withWindows(windows);
        }
        cfg = cfg.withTopN(topN);
        if (chunks < 0) {
            throw new dev.ubm.core.BadInputException("--chunks must be >= 0, got " + chunks);
        }
        ChallengeDataDir data = allEvents ? ChallengeDataDir.openAllEvents(dataDir) : ChallengeDataDir.open(dataDir);
        data.require(ChallengeDataDir.Need.EVENTS);
        spec.commandLine().getErr().println("features: " + data.describeEvents());
        spec.commandLine().getErr().flush();
        BlockDir.Meta meta = FeatureBlocks.run(data, cfg, embeddingsDir, common.listener(spec), chunks);
        Map<String, Object> c = meta.config();
        long events = ((Number) c.get("events")).longValue();
        spec.commandLine().getOut().println(String.format(Locale.ROOT,
                "features %s: %d clients x %d dims (%s without history); %d events of these clients (%d in the input) in %.1f s"
                        + " = %s events/s (%s input events/s); cutoff %s -> %s",
                s.cliName(), meta.rows(), meta.dims(), c.get("clients_without_history"), events,
                ((Number) c.get("input_events")).longValue(), meta.wallSeconds(), c.get("events_per_second"),
                c.get("input_events_per_second"), c.get("cutoff"), new BlockDir(embeddingsDir).dir()));
        return 0;
    }
}
