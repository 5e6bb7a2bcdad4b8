package dev.ubm.probes.ablation;

import dev.ubm.core.BadInputException;
import dev.ubm.core.BlockDir;
import dev.ubm.core.ChallengeDataDir;
import dev.ubm.core.ConfigMap;
import dev.ubm.core.Fingerprint;
import dev.ubm.core.Progress;
import dev.ubm.core.RunInfo;
import dev.ubm.core.Task;
import dev.ubm.data.RelevantClients;
import dev.ubm.probes.Embeddings;
import dev.ubm.probes.OracleScores;
import dev.ubm.probes.PartialResults;
import dev.ubm.probes.Probe;
import dev.ubm.probes.ProbeKind;
import dev.ubm.probes.ProbeRunner;
import dev.ubm.probes.TaskResult;
import dev.ubm.probes.metrics.TaskScore;
import dev.ubm.probes.targets.TaskTargets;
import dev.ubm.probes.targets.Targets;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code ubm ablate} as a library call: probes every block alone, all blocks together and each leave-one-block-out
 * combination with the same probe, seeds and targets, and writes {@code ablation.csv}, {@code ablation.md},
 * {@code ablation.png} and {@code run.json}. Combining is delegated to a {@link Combiner} (the CLI uses the
 * submission module's per-block scaling), so every variant is scaled the same way and only the set of blocks differs.
 */
public final class Ablation {
    /** Makes the embeddings dir of a set of blocks (scaled and concatenated) in {@code workDir}; returns its path. */
    @FunctionalInterface
    public interface Combiner {
        Path combine(List<String> blocks, Path workDir);
    }

    /**
     * @param repeats probe seeds per task (seed, seed + 1, ...); scores are averaged, their spread reported
     */
    public record Config(ProbeKind probe, List<Task> tasks, long seed, int repeats, Map<String, Double> weights) {
        /** Every block at weight 1. */
        public Config(ProbeKind probe, List<Task> tasks, long seed, int repeats) {
            this(probe, tasks, seed, repeats, Map.of());
        }

        public Config {
            weights = Map.copyOf(weights);
            if (tasks == null || tasks.isEmpty()) {
                throw new BadInputException("no tasks given");
            }
            if (repeats < 1 || repeats > 20) {
                throw new BadInputException("--repeats must be in 1..20, got " + repeats);
            }
            tasks = List.copyOf(new java.util.LinkedHashSet<>(tasks));
        }

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("probe", probe.cliName());
            List<Object> ts = new ArrayList<>();
            tasks.forEach(t -> ts.add(t.cliName()));
            m.put("tasks", ts);
            m.put("repeats", repeats);
            m.put("weights", new java.util.TreeMap<String, Object>(weights));
            m.put("probe_settings", probe.settings(seed));
            return m;
        }

        /** The config {@link #toMap()} wrote; the seed is run.json's own field. */
        static Config fromMap(Map<String, Object> map, long seed) {
            ConfigMap m = ConfigMap.of(map, "ablation config");
            List<Task> tasks = new ArrayList<>();
            m.getList("tasks").forEach(t -> tasks.add(Task.ofName(String.valueOf(t))));
            Map<String, Double> weights = new LinkedHashMap<>();
            m.getMap("weights").forEach((k, v) -> weights.put(k, ((Number) v).doubleValue()));
            return new Config(ProbeKind.ofName(m.getString("probe")), tasks, seed, m.getInt("repeats"), weights);
        }
    }

    /** One variant's results: per task, one {@link TaskResult} per repeat. */
    public record Row(Variant variant, int dims, Map<Task, List<TaskResult>> results, double seconds) {
        /** Mean best-epoch AUROC over repeats. */
        public double auroc(Task t) {
            return mean(t, true);
        }

        /** Mean scores.json score (best epoch, 4 decimals) over repeats. */
        public double score(Task t) {
            return mean(t, false);
        }

        /** Sample standard deviation of the AUROC over repeats (NaN with one repeat). */
        public double aurocSd(Task t) {
            List<TaskResult> rs = results.get(t);
            if (rs == null || rs.size() < 2) {
                return Double.NaN;
            }
            double[] x = new double[rs.size()];
            for (int i = 0; i < x.length; i++) {
                x[i] = rs.get(i).best().auroc();
            }
            return sampleSd(x, auroc(t));
        }

        /**
         * This row's AUROC minus {@code other}'s, paired by repeat (the same probe seed), with the paired t
         * statistic: mean difference / (sd of the differences / sqrt(repeats)). {@code t} is NaN with fewer than
         * two repeats or when every difference is the same.
         */
        public Paired minus(Row other, Task t) {
            List<TaskResult> a = results.get(t);
            List<TaskResult> b = other.results.get(t);
            int n = Math.min(a == null ? 0 : a.size(), b == null ? 0 : b.size());
            if (n == 0) {
                return new Paired(Double.NaN, Double.NaN);
            }
            double[] d = new double[n];
            double m = 0;
            for (int i = 0; i < n; i++) {
                d[i] = a.get(i).best().auroc() - b.get(i).best().auroc();
                m += d[i] / n;
            }
            if (n < 2) {
                return new Paired(m, Double.NaN);
            }
            double se = sampleSd(d, m) / Math.sqrt(n);
            return new Paired(m, se > 0 ? m / se : Double.NaN);
        }

        /** Sample standard deviation (n - 1) of x around its mean m. */
        private static double sampleSd(double[] x, double m) {
            double s = 0;
            for (double v : x) {
                s += (v - m) * (v - m);
            }
            return Math.sqrt(s / (x.length - 1));
        }

        private double mean(Task t, boolean auroc) {
            List<TaskResult> rs = results.get(t);
            if (rs == null || rs.isEmpty()) {
                return Double.NaN;
            }
            double s = 0;
            for (TaskResult r : rs) {
                s += auroc ? r.best().auroc() : r.score();
            }
            return s / rs.size();
        }
    }

    /** A paired AUROC difference between two variants: its mean over repeats and its t statistic. */
    public record Paired(double mean, double t) {
    }

    /** Everything the report needs. */
    public record Result(List<String> blocks, List<Row> rows, Map<Task, TaskScore> oracle, Config config,
            double seconds) {
        /** The row of a variant by name, or null. */
        public Row row(String name) {
            for (Row r : rows) {
                if (r.variant().name().equals(name)) {
                    return r;
                }
            }
            return null;
        }
    }

    private final PrintStream log;
    private final java.util.function.Consumer<String> afterResult;

    public Ablation(PrintStream log) {
        this(log, unit -> { });
    }

    /** As {@link #Ablation(PrintStream)}, calling {@code afterResult} with each unit whose result is saved. */
    Ablation(PrintStream log, java.util.function.Consumer<String> afterResult) {
        this.log = log;
        this.afterResult = afterResult;
    }

    /**
     * Runs the ablation over named blocks.
     *
     * @param blocks block names in column order (passed to the combiner)
     * @param workDir where the combiner writes the variants' embeddings
     */
    public Result run(ChallengeDataDir data, List<String> blocks, Combiner combiner, Path workDir, Path scoreDir,
            Config cfg) {
        return run(data, blocks, Variant.of(blocks), combiner, workDir, scoreDir, cfg);
    }

    /**
     * Runs the given variants of the named blocks ({@link Variant#of} for the ablation, {@link Variant#alone} for a
     * comparison of blocks against the first).
     */
    public Result run(ChallengeDataDir data, List<String> blocks, List<Variant> variants, Combiner combiner,
            Path workDir, Path scoreDir, Config cfg) {
        long t0 = System.nanoTime();
        List<String> problems = new ArrayList<>(Targets.problems(data, cfg.tasks()));
        if (!java.nio.file.Files.isRegularFile(data.relevantClientsFile())) {
            problems.add("missing file " + data.relevantClientsFile());
        }
        if (!problems.isEmpty()) {
            throw BadInputException.of("data dir " + data.root() + " cannot be probed", problems);
        }
        long[] relevant = RelevantClients.read(data);
        List<Row> rows = new ArrayList<>();
        long[] targetIds = null;
        Map<Task, TaskTargets> targets = null;
        List<Path> fingerprinted = new ArrayList<>();
        PartialResults partial = PartialResults.open(scoreDir, "ablate|" + cfg.probe().cliName() + "|"
                + data.fingerprint(ChallengeDataDir.Need.TARGET_WINDOWS));
        int resumed = 0;
        int total = variants.size() * cfg.tasks().size() * cfg.repeats();
        int finished = 0;
        int probed = 0;
        double probedSeconds = 0;
        for (Variant v : variants) {
            long v0 = System.nanoTime();
            Path dir = combiner.combine(v.blocks(), workDir.resolve(v.key()));
            Embeddings.Checked checked = Embeddings.open(dir, relevant, cfg.probe().maxDims());
            if (targets == null || !Arrays.equals(targetIds, checked.clientIds())) {
                targetIds = checked.clientIds();
                targets = Targets.compute(data, targetIds, cfg.tasks());
            }
            // the embedding of all blocks, or in a comparison (no such variant) every variant's
            if (v.kind() == Variant.Kind.ALL || variants.stream().noneMatch(x -> x.kind() == Variant.Kind.ALL)) {
                fingerprinted.add(dir.resolve("embeddings.npy"));
            }
            String fp = Fingerprint.of(dir.resolve(BlockDir.CLIENT_IDS), dir.resolve(BlockDir.EMBEDDINGS));
            Map<Task, List<TaskResult>> results = new EnumMap<>(Task.class);
            for (Task t : cfg.tasks()) {
                TaskTargets tt = targets.get(t);
                Probe.Validator val = ProbeRunner.validator(tt);
                List<TaskResult> rs = new ArrayList<>();
                for (int r = 0; r < cfg.repeats(); r++) {
                    long seed = cfg.seed() + r;
                    // the same embeddings, task and probe seed give the same result, whatever the variant is called
                    String unit = fp + "|" + t.cliName() + "|" + cfg.probe().settingsKey(seed);
                    TaskResult done = partial.get(unit);
                    if (done != null) {
                        rs.add(done);
                        resumed++;
                        finished++;
                        continue;
                    }
                    log.printf(Locale.ROOT, "ablate: probe %d of %d: %s, %s, probe seed %d%s%n", finished + 1, total,
                            v.name(), t.cliName(), seed, probed == 0 ? ""
                                    : ", ETA " + Progress.clock(probedSeconds / probed * (total - finished)));
                    Probe probe = cfg.probe().create(seed);
                    long s0 = System.nanoTime();
                    List<TaskScore> epochs = probe.fit(checked.embeddings(), tt, val);
                    TaskResult res = TaskResult.of(t, epochs, tt.samples(), (System.nanoTime() - s0) / 1e9);
                    probed++;
                    probedSeconds += res.seconds();
                    finished++;
                    rs.add(res);
                    partial.put(unit, res);
                    afterResult.accept(v.name() + " " + t.cliName() + " seed " + seed);
                }
                results.put(t, rs);
            }
            Row row = new Row(v, checked.embeddings().dims(), results, (System.nanoTime() - v0) / 1e9);
            rows.add(row);
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "ablate %-22s %5d dims", v.name(),
                    row.dims()));
            for (Task t : cfg.tasks()) {
                sb.append(String.format(Locale.ROOT, "  %s %.4f", t.cliName(), row.auroc(t)));
            }
            log.println(sb.append(String.format(Locale.ROOT, "  (%.1f s)", row.seconds())));
        }
        Map<Task, TaskScore> oracle = new EnumMap<>(Task.class);
        if (OracleScores.available(data)) {
            Map<Task, TaskTargets> wanted = new EnumMap<>(Task.class);
            for (Task t : cfg.tasks()) {
                wanted.put(t, targets.get(t));
            }
            oracle.putAll(OracleScores.score(data, targetIds, wanted));
        }
        if (resumed > 0) {
            log.printf(Locale.ROOT, "ablate: reused %d probe results finished in an earlier run with the same "
                    + "embeddings, data and probe settings (%s)%n", resumed, scoreDir.resolve(PartialResults.FILE));
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        Result result = new Result(List.copyOf(blocks), rows, oracle, cfg, secs);
        AblationReport.write(scoreDir, result);
        Map<String, Object> conf = cfg.toMap();
        conf.put("data_dir", data.root().toString());
        conf.put("blocks", List.copyOf(blocks));
        List<Object> names = new ArrayList<>();
        variants.forEach(v -> names.add(v.name()));
        conf.put("variants", names);
        fingerprinted.add(data.trainTargetFile());
        fingerprinted.add(data.validationTargetFile());
        RunInfo.write(scoreDir, "ablate", conf, cfg.seed(), Fingerprint.of(fingerprinted.toArray(Path[]::new)), secs);
        partial.delete();
        return result;
    }
}
