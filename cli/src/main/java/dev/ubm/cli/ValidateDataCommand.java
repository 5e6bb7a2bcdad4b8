package dev.ubm.cli;

import dev.ubm.core.BadInputException;
import dev.ubm.core.ChallengeDataDir;
import dev.ubm.core.ValidationFailedException;
import dev.ubm.data.ClientSequences;
import dev.ubm.data.DataValidator;
import dev.ubm.data.EventStore;
import dev.ubm.data.SequenceOptions;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ubm validate-data}: every problem of a data dir (exit 1), or a summary of what it holds (exit 0). */
@Command(name = "validate-data", header = "Check a data dir against the challenge layout and list every problem.", mixinStandardHelpOptions = true,
        description = {"Check a data dir (parquet or csv) against the challenge layout: missing files or columns, "
                + "wrong column types, unparsable timestamps, malformed \"[c1 c2 ...]\" code strings, NULL/NaN ids, "
                + "duplicate skus in product_properties, event skus missing from it, relevant_clients.npy not 1-D "
                + "int64 or with duplicates, and the target/ files when present.",
            "Prints every problem (file, column, row, value) and exits 1; or a summary and exits 0."})
public final class ValidateDataCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Option(names = "--data-dir", required = true, description = "The data dir to check.")
    Path dataDir;

    @Option(names = "--sequences", description = "Also stream every client's event sequence (what the sequence "
            + "encoders read: input/ events after a split) and report events/s.")
    boolean sequences;

    @Option(names = "--relevant-only", description = "With --sequences: only the relevant clients.")
    boolean relevantOnly;

    @Override
    public Integer call() {
        if (!Files.isDirectory(dataDir)) {
            throw new BadInputException("data dir " + dataDir.toAbsolutePath() + " does not exist or is not a directory");
        }
        DataValidator.Report r = DataValidator.validate(ChallengeDataDir.open(dataDir));
        if (!r.ok()) {
            throw new ValidationFailedException("data dir " + r.root() + " failed validation", r.messages());
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "data dir %s: OK (%d files checked in %.1fs)%n", r.root(), r.files().size(),
                r.seconds());
        out.print(r.summary());
        out.flush();
        if (sequences) {
            long t0 = System.nanoTime();
            long[] clients = new long[1];
            long events;
            try (EventStore store = EventStore.open(ChallengeDataDir.open(dataDir))) {
                events = ClientSequences.forEach(store, new SequenceOptions(relevantOnly, 0, null), ev -> clients[0]++);
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            out.printf(Locale.ROOT, "client sequences: %,d events of %,d clients in %.1fs (%,.0f events/s)%n", events,
                    clients[0], secs, events / Math.max(1e-9, secs));
            out.flush();
        }
        return 0;
    }
}
