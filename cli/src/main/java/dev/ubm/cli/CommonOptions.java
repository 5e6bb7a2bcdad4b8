package dev.ubm.cli;

import dev.ubm.core.Progress;
import dev.ubm.core.StageListener;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** Options every subcommand shares (a picocli mixin): --help, --verbose, --seed, --quiet. */
public final class CommonOptions {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Option(names = "--verbose", description = "Print stack traces on errors.")
    boolean verbose;

    @Option(names = "--quiet", description = "No progress bars.")
    void quiet(boolean q) {
        Progress.setEnabled(!q);
    }

    @Option(names = "--seed", defaultValue = "42", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    public long seed() {
        return seed;
    }

    /** Where a stage's progress lines go: the command's stderr. */
    public StageListener listener(CommandSpec spec) {
        return StageListener.to(spec.commandLine().getErr());
    }
}
