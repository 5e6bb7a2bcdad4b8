package dev.ubm.cli;

import dev.ubm.core.AtomicFiles;
import dev.ubm.core.BadInputException;
import dev.ubm.core.BlockDir;
import dev.ubm.core.ChallengeDataDir;
import dev.ubm.core.OutputDir;
import dev.ubm.core.Task;
import dev.ubm.data.RelevantClients;
import dev.ubm.probes.ProbeKind;
import dev.ubm.probes.ablation.Ablation;
import dev.ubm.probes.ablation.Variant;
import dev.ubm.probes.ablation.AblationReport;
import dev.ubm.submission.BlockSpec;
import dev.ubm.submission.CombineConfig;
import dev.ubm.submission.Combiner;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code ubm ablate}: what each block is worth. Probes every block alone, all blocks together and each
 * leave-one-block-out combination; every variant is combined exactly as {@code ubm combine} would (the submission
 * module's per-block scaling and PCA rule, done here in the CLI because probes may not depend on submission).
 */
@Command(name = "ablate", header = "Probe each block alone, all blocks, and all blocks but one.", mixinStandardHelpOptions = true,
        description = {"Probe each block alone, all blocks, and all blocks but one; write ablation.md, ablation.csv "
                + "and ablation.png to the score dir.",
            "Each variant is combined like `ubm combine` (standard scaling for feature blocks, L2 rows for learned "
                + "blocks, PCA above 1024 dims) into <score-dir>/.ablation-work, removed afterwards unless --keep-work.",
            "Resumable: each finished probe (variant, task, probe seed) is saved to <score-dir>/partial.json, and a "
                + "rerun on the same data with the same probe reuses every result whose embeddings are unchanged."})
public final class AblateCommand implements Callable<Integer> {
    static final String WORK = ".ablation-work";

    @Mixin
    CommonOptions common;

    @Mixin
    DeviceOption device;

    @Spec
    CommandSpec spec;

    @Option(names = "--data-dir", required = true, description = "Data dir with the target windows (after a split).")
    Path dataDir;

    @Option(names = "--blocks", required = true, arity = "1..*", paramLabel = "NAME=DIR",
            description = "Named block dirs, e.g. features=work/emb/features seq=work/emb/seq.")
    List<String> blocks;

    @Option(names = "--probe", defaultValue = "fast",
            description = "official, fast, xgboost or linear (default: ${DEFAULT-VALUE}).")
    String probe;

    @Option(names = "--tasks", arity = "1..*", split = ",", description = "Tasks (default: all six).")
    List<String> tasks;

    @Option(names = "--repeats", defaultValue = "1",
            description = "Probe seeds per task, averaged (default: ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--score-dir", defaultValue = "ablation", description = "Output dir (default: ${DEFAULT-VALUE}).")
    Path scoreDir;

    @Option(names = "--weights", arity = "1..*", paramLabel = "NAME=W",
            description = "Block weights passed to the combination (default 1 each, as ubm combine).")
    List<String> weights;

    @Option(names = "--compare", description = "Probe each block alone only, each paired against the first "
            + "(e.g. --blocks submission=... baseline=... features=...); no all-blocks or leave-one-out variants.")
    boolean compare;

    @Option(names = "--keep-work", description = "Keep the combined embeddings of every variant.")
    boolean keepWork;

    @Override
    public Integer call() {
        OutputDir.requireWritable(scoreDir, "--score-dir");
        device.select();
        Map<String, Path> named = parseBlocks(blocks);
        Map<String, Double> w = parseWeights(weights, named.keySet());
        List<Task> ts = new ArrayList<>();
        if (tasks == null || tasks.isEmpty()) {
            ts.addAll(List.of(Task.values()));
        } else {
            for (String t : tasks) {
                ts.add(Task.ofName(t));
            }
        }
        ChallengeDataDir data = ChallengeDataDir.open(dataDir);
        data.require(ChallengeDataDir.Need.TARGET_WINDOWS);
        long[] relevant = RelevantClients.read(data);
        long seed = common.seed();
        Ablation.Combiner combiner = (names, out) -> {
            List<BlockSpec> specs = new ArrayList<>();
            for (String n : names) {
                specs.add(new BlockSpec(named.get(n), n, null, w.getOrDefault(n, 1.0), null));
            }
            Combiner.combine(CombineConfig.defaults(specs, seed), relevant, out);
            return out;
        };
        Path work = scoreDir.toAbsolutePath().normalize().resolve(WORK);
        PrintStream log = System.err;
        List<String> names = new ArrayList<>(named.keySet());
        if (compare && names.size() < 2) {
            throw new BadInputException("--compare needs at least two --blocks, got " + names);
        }
        Ablation.Result r = new Ablation(log).run(data, names, compare ? Variant.alone(names) : Variant.of(names),
                combiner, work, scoreDir, new Ablation.Config(ProbeKind.ofName(probe), ts, seed, repeats, w));
        if (!keepWork) {
            AtomicFiles.deleteTree(work);
        }
        spec.commandLine().getOut().println(String.format(Locale.ROOT, "ablate: %d variants x %d tasks in %.0f s -> "
                + "%s (%s, %s, %s)", r.rows().size(), ts.size(), r.seconds(), scoreDir.toAbsolutePath().normalize(),
                AblationReport.MD, AblationReport.CSV, AblationReport.PNG));
        return 0;
    }

    /** NAME=DIR pairs in order; names distinct and file-name safe, dirs finished blocks (exit 3 otherwise). */
    static Map<String, Path> parseBlocks(List<String> specs) {
        Map<String, Path> out = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (String s : specs) {
            int eq = s.indexOf('=');
            if (eq <= 0 || eq == s.length() - 1) {
                problems.add("--blocks takes NAME=DIR, got '" + s + "'");
                continue;
            }
            String name = s.substring(0, eq).trim();
            Path dir = Path.of(s.substring(eq + 1).trim());
            if (!name.matches("[A-Za-z0-9_.-]+")) {
                problems.add("block name '" + name + "' may only use letters, digits, '_', '.', '-'");
            } else if (out.containsKey(name)) {
                problems.add("block name '" + name + "' is given twice");
            } else if (!java.nio.file.Files.isDirectory(dir)) {
                problems.add("block " + name + ": " + dir + " does not exist");
            } else {
                out.put(name, dir);
            }
        }
        if (!problems.isEmpty()) {
            throw BadInputException.of("bad --blocks", problems);
        }
        for (Path dir : out.values()) {
            new BlockDir(dir).requireFinished().requireComplete();
        }
        return out;
    }

    static Map<String, Double> parseWeights(List<String> specs, java.util.Set<String> names) {
        Map<String, Double> out = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (String s : specs == null ? List.<String>of() : specs) {
            int eq = s.indexOf('=');
            String name = eq > 0 ? s.substring(0, eq).trim() : "";
            if (!names.contains(name)) {
                problems.add("--weights: '" + s + "' does not name a block of --blocks " + names);
                continue;
            }
            try {
                double v = Double.parseDouble(s.substring(eq + 1).trim());
                if (!(v > 0) || Double.isInfinite(v)) {
                    throw new NumberFormatException();
                }
                out.put(name, v);
            } catch (NumberFormatException e) {
                problems.add("--weights: '" + s + "' needs a positive number after '='");
            }
        }
        if (!problems.isEmpty()) {
            throw BadInputException.of("bad --weights", problems);
        }
        return out;
    }
}
