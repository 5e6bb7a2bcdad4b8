package dev.ubm.cli;

import dev.ubm.core.BadInputException;
import dev.ubm.core.ChallengeDataDir;
import dev.ubm.core.ValidationFailedException;
import dev.ubm.data.DataValidator;

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
@Command(name = "validate-data", mixinStandardHelpOptions = true,
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
        return 0;
    }
}
