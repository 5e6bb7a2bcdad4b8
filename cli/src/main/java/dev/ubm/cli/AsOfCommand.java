package dev.ubm.cli;

import dev.ubm.core.AtomicFiles;
import dev.ubm.core.BadInputException;
import dev.ubm.core.ChallengeDataDir;
import dev.ubm.core.OutputDir;
import dev.ubm.data.AsOf;
import dev.ubm.data.TrainClients;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code ubm asof}: writes the data dir as it looked {@code label-days} before the input cutoff, so that a learned
 * block (the sequence encoder) can be computed as of the start of the DCN's label window without seeing it.
 */
@Command(name = "asof", header = "Write a data dir as of an earlier cutoff (the window the DCN trains on).", mixinStandardHelpOptions = true,
        description = {"Write the as-of data dir of a data dir: its (input) events before cutoff - label-days - "
                + "end-offset-days, product_properties, its client list (--train-clients) and target lists (the new-sku list "
                + "replaced by a proxy for the label window), and asof.json. The same "
                + "dir 'ubm encode dcn' trains on; encode a sequence block on it with 'ubm encode seq --model-from' "
                + "and pass that block to 'ubm encode dcn --seq-train'."})
public final class AsOfCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Option(names = "--data-dir", required = true, description = "Data dir (its input/ events after a split).")
    Path dataDir;

    @Option(names = "--out-dir", required = true, description = "Output data dir (must be absent or empty).")
    Path out;

    @Option(names = "--label-days", defaultValue = "14", description = "Days before the cutoff left out (default: "
            + "${DEFAULT-VALUE}, as 'ubm encode dcn').")
    int labelDays;

    @Option(names = "--end-offset-days", defaultValue = "0", description = "Days the label window ends before the "
            + "cutoff (default: ${DEFAULT-VALUE}).")
    int endOffsetDays;

    @Option(names = "--all-events", description = "Use the root (all) events even if a split exists (submission).")
    boolean allEvents;

    @Option(names = "--train-clients", defaultValue = TrainClients.DEFAULT, description = {"The clients the as-of dir "
        + "lists (its input/relevant_clients.npy; the rows the DCN trains on and the blocks made on the dir cover): "
        + "relevant, all (the relevant clients plus every client with an event before the as-of cutoff) or N (the "
        + "relevant clients plus a uniform sample of those others, drawn with --seed, N in all; default: "
        + "${DEFAULT-VALUE})."})
    String trainClients;

    @Override
    public Integer call() {
        OutputDir.requireWritable(out, "--out-dir");
        if (labelDays < 1 || labelDays > 365) {
            throw new BadInputException("--label-days must be in 1..365, got " + labelDays);
        }
        if (endOffsetDays < 0 || endOffsetDays > 365) {
            throw new BadInputException("--end-offset-days must be in 0..365, got " + endOffsetDays);
        }
        if (Files.exists(out) && !isEmptyDir(out)) {
            throw new BadInputException("--out-dir " + out + " exists and is not empty (remove it first)");
        }
        TrainClients clients = TrainClients.parse(trainClients);
        ChallengeDataDir data = allEvents ? ChallengeDataDir.openAllEvents(dataDir) : ChallengeDataDir.open(dataDir);
        data.require(ChallengeDataDir.Need.EVENTS);
        PrintWriter w = spec.commandLine().getOut();
        w.printf("asof: --train-clients %s%s%n", clients, trainClients.equals(TrainClients.DEFAULT) ? " (default)" : "");
        w.flush();
        // written beside the target and renamed at the end, so an interrupted run leaves no half-written dir at --out-dir
        Path tmp = out.toAbsolutePath().resolveSibling("." + out.getFileName() + ".tmp");
        AtomicFiles.deleteTree(tmp);
        AsOf a = AsOf.materialise(data, tmp, labelDays, endOffsetDays, clients, common.seed());
        try {
            Files.deleteIfExists(out);
            Files.move(tmp, out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move " + tmp + " to " + out, e);
        }
        for (String note : a.notes()) {
            w.println("asof: note: " + note);
        }
        w.printf("asof: %s: events before %s; %d clients listed (%d relevant); labels [%s, %s): %d of them bought%n",
                out, a.asOf(), a.labels().rows(), a.relevantClients(), a.asOf(), a.cutoff(), a.labels().buyers());
        w.flush();
        return 0;
    }

    private static boolean isEmptyDir(Path p) {
        try (Stream<Path> s = Files.list(p)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }
}
