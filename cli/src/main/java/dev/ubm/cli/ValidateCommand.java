package dev.ubm.cli;

import dev.ubm.core.BadInputException;
import dev.ubm.core.ChallengeDataDir;
import dev.ubm.data.BlockCheck;
import dev.ubm.data.RelevantClients;

import java.nio.file.Files;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ubm validate}: the organisers' submission rules; exit 0 with one OK line, 1 listing every problem. */
@Command(name = "validate", header = "Check a submission dir against every rule of the organisers.", mixinStandardHelpOptions = true,
        description = {"Checks a submission dir against every organisers' rule: client_ids.npy int64 1-D and a "
                + "permutation of input/relevant_clients.npy; embeddings.npy float16 2-D with at most 2048 columns, "
                + "no NaN/Inf, one row per id; both loadable without pickle.",
            "Reports all problems; exit code 1 when any rule fails."})
public final class ValidateCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Option(names = "--data-dir", required = true, description = "Data dir with input/relevant_clients.npy.")
    Path dataDir;

    @Option(names = "--embeddings-dir", required = true, description = "Submission dir to check.")
    Path embeddingsDir;

    @Option(names = "--max-dims", defaultValue = "" + BlockCheck.MAX_DIMS,
            description = "Most columns allowed (default: ${DEFAULT-VALUE}).")
    int maxDims;

    @Option(names = "--disable-relevant-clients-check",
            description = "Skip the permutation check (as the organisers' flag; for local splits).")
    boolean noRelevantCheck;

    @Override
    public Integer call() {
        if (maxDims < 1) {
            throw new BadInputException("--max-dims must be >= 1, got " + maxDims);
        }
        long[] relevant = null;
        if (!noRelevantCheck) {
            Path f = ChallengeDataDir.open(dataDir).relevantClientsFile();
            if (!Files.isRegularFile(f)) {
                throw new BadInputException("missing file " + f + " (the relevant clients to check against)");
            }
            relevant = RelevantClients.read(f);
        }
        BlockCheck.Report r = BlockCheck.check(embeddingsDir, relevant, BlockCheck.Rules.submission(maxDims))
                .requireValid();
        spec.commandLine().getOut().println(r.summary());
        return 0;
    }
}
