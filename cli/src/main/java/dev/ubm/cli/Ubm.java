package dev.ubm.cli;

import dev.ubm.core.ExitCode;
import dev.ubm.core.UbmException;
import dev.ubm.core.Version;

import java.io.PrintWriter;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code ubm} command: wiring only. Each subcommand is one class; exit codes follow {@link ExitCode}.
 * Tests drive it in-process through {@link #commandLine()} exactly as {@link #main} does.
 */
@Command(name = "ubm", mixinStandardHelpOptions = true, versionProvider = Ubm.VersionProvider.class,
        description = "Universal behavioral user embeddings: synth, split, embed, combine, probe, validate.",
        subcommands = {
            SynthCommand.class,
            SplitCommand.class,
            AsOfCommand.class,
            ValidateDataCommand.class,
            FeaturesCommand.class,
            EncodeCommand.class,
            GnnCommand.class,
            CombineCommand.class,
            ProbeCommand.class,
            AblateCommand.class,
            ValidateCommand.class,
        })
public final class Ubm implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand");
    }

    /** The configured command line used by main and by tests. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Ubm());
        cl.setExecutionExceptionHandler(Ubm::handleError);
        cl.setParameterExceptionHandler((ex, args) -> {
            ex.getCommandLine().getErr().println("[ERROR] " + ex.getMessage());
            ex.getCommandLine().getErr().println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName()
                    + " --help' for more information.");
            return ExitCode.BAD_INPUT.code();
        });
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        return cl;
    }

    private static int handleError(Exception ex, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        boolean verbose = parsed != null && hasVerbose(parsed);
        if (ex instanceof UbmException u) {
            err.println("[ERROR] " + u.getMessage());
            if (verbose) {
                u.printStackTrace(err);
            }
            err.flush();
            return u.exitCode().code();
        }
        Throwable root = ex;
        while (root.getCause() != null && !(root instanceof UbmException)) {
            root = root.getCause();
        }
        if (root instanceof UbmException u) {
            err.println("[ERROR] " + u.getMessage());
            if (verbose) {
                ex.printStackTrace(err);
            }
            err.flush();
            return u.exitCode().code();
        }
        err.println("[ERROR] internal error: " + ex);
        if (verbose) {
            ex.printStackTrace(err);
        } else {
            err.println("(run with --verbose for the stack trace)");
        }
        err.flush();
        return ExitCode.INTERNAL_ERROR.code();
    }

    private static boolean hasVerbose(CommandLine.ParseResult parsed) {
        for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }

    public static void main(String[] args) {
        System.exit(execute(commandLine(), args));
    }

    /**
     * Runs {@code cl}. A JVM out of heap (an {@link OutOfMemoryError}, which picocli passes on) ends with a message
     * naming the heap limit and the setting that raises it, and exit 5, instead of a stack trace and the JVM's exit 1
     * (which reads as "validation failed"). Outputs are written to temp files and renamed, so nothing half-written
     * is left.
     */
    static int execute(CommandLine cl, String... args) {
        try {
            return cl.execute(args);
        } catch (OutOfMemoryError e) {
            PrintWriter err = cl.getErr();
            err.println("[ERROR] out of memory (" + e.getMessage() + "; the JVM's heap limit is "
                    + String.format(java.util.Locale.ROOT, "%.1f GiB", Runtime.getRuntime().maxMemory() / 1073741824.0)
                    + "): rerun with a larger heap, e.g. UBM_JAVA_OPTS=-Xmx16g bin/ubm ... (docs/scale.md gives "
                    + "each stage's heap on a world of the challenge's size)");
            err.flush();
            return ExitCode.OUT_OF_MEMORY.code();
        }
    }

    /** Prints the code version. */
    public static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"ubm " + Version.CODE};
        }
    }
}
