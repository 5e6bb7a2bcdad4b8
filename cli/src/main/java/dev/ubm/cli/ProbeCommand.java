package dev.ubm.cli;

import dev.ubm.core.ChallengeDataDir;
import dev.ubm.core.OutputDir;
import dev.ubm.core.Task;
import dev.ubm.probes.ProbeKind;
import dev.ubm.probes.ProbeRunner;
import dev.ubm.probes.ProbeSummary;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code ubm probe}: scores an embeddings dir on the challenge tasks with the organisers' probe (or a fast one) and
 * writes the score dir (scores.json, epochs.json, metrics.json, report.md, report.png, run.json).
 */
@Command(name = "probe", header = "Score embeddings on the challenge tasks as the organisers' probe does.", sortOptions = false,
        description = {"Score embeddings on the challenge tasks as the organisers do: train a probe on the train "
                + "window, validate on the validation window; the best epoch counts.",
            "Writes scores.json, epochs.json, metrics.json, report.md (with the oracle and a random control on "
                + "synthetic worlds), report.png and run.json.",
            "Resumable: each finished task is saved to <score-dir>/partial.json, and a rerun with the same "
                + "embeddings, data and probe settings starts at the first unfinished task."})
public final class ProbeCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Mixin
    DeviceOption device;

    @Spec
    CommandSpec spec;

    @Option(names = "--data-dir", required = true, description = "Data dir after 'ubm split' (target/ windows).")
    Path dataDir;

    @Option(names = "--embeddings-dir", required = true,
            description = "Dir with client_ids.npy (int64) and embeddings.npy (float16 or float32).")
    Path embeddingsDir;

    @Option(names = "--score-dir", required = true, description = "Where to write the scores and the report.")
    Path scoreDir;

    @Option(names = "--tasks", arity = "1..*", split = ",",
            description = "Tasks (default: all six): churn propensity_category propensity_sku conversion "
                    + "propensity_new_sku propensity_price (or hidden1..3).")
    List<String> tasks = new ArrayList<>();

    @Option(names = "--probe", defaultValue = "official",
            description = "official (the organisers' 2048/4096 MLP), fast (same MLP, 256/512), xgboost, linear. "
                    + "Default: ${DEFAULT-VALUE}.")
    String probe;

    @Option(names = "--control", description = "'random': probe a random Gaussian embedding of the same shape "
            + "instead (the floor of every comparison).")
    String control;

    @Option(names = "--no-baseline", description = "On synthetic worlds, skip the random control that the report "
            + "uses for the gap to the oracle (it is cached in <score-dir>/control-random and reused).")
    boolean noBaseline;

    @Override
    public Integer call() {
        OutputDir.requireWritable(scoreDir, "--score-dir");
        device.select();
        ProbeKind kind = ProbeKind.ofName(probe);
        boolean random = false;
        if (control != null) {
            if (!control.equalsIgnoreCase("random")) {
                throw new dev.ubm.core.BadInputException("unknown control '" + control + "' (expected: random)");
            }
            random = true;
        }
        List<Task> ts = new ArrayList<>();
        if (tasks.isEmpty()) {
            ts.addAll(List.of(Task.values()));
        } else {
            for (String t : tasks) {
                ts.add(Task.ofName(t));
            }
        }
        PrintStream out = new PrintStream(new WriterOutputStream(spec.commandLine().getOut()), true);
        ProbeRunner.Config cfg = new ProbeRunner.Config(kind, ts, common.seed(), random, !noBaseline);
        ProbeSummary s = new ProbeRunner(out).run(ChallengeDataDir.open(dataDir), embeddingsDir, scoreDir, cfg);
        out.printf("wrote %s (scores.json, report.md) in %.1f s%n", scoreDir.toAbsolutePath(), s.seconds());
        out.flush();
        return 0;
    }

    /** Bridges picocli's PrintWriter (captured by tests) to the PrintStream the runner logs to. */
    private static final class WriterOutputStream extends java.io.OutputStream {
        private final java.io.PrintWriter w;

        WriterOutputStream(java.io.PrintWriter w) {
            this.w = w;
        }

        @Override
        public void write(int b) {
            w.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            w.write(new String(b, off, len, java.nio.charset.StandardCharsets.UTF_8));
        }

        @Override
        public void flush() {
            w.flush();
        }
    }
}
