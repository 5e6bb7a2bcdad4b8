package dev.ubm.probes;

import dev.ubm.core.AtomicFiles;
import dev.ubm.core.BadInputException;
import dev.ubm.core.BlockDir;
import dev.ubm.core.ChallengeDataDir;
import dev.ubm.core.ConfigMap;
import dev.ubm.core.Fingerprint;
import dev.ubm.core.Json;
import dev.ubm.core.RunInfo;
import dev.ubm.core.Task;
import dev.ubm.data.RelevantClients;
import dev.ubm.probes.metrics.Metrics;
import dev.ubm.probes.metrics.TaskScore;
import dev.ubm.probes.mlp.MlpProbe;
import dev.ubm.probes.targets.TaskTargets;
import dev.ubm.probes.targets.Targets;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code ubm probe} as a library call: checks the embeddings, computes the targets once, probes each task, scores
 * the oracle (when the data dir has one) and a random control of the same shape, and writes the score dir:
 * {@code scores.json} and {@code epochs.json} (the organisers' files), {@code metrics.json} (every epoch's AUROC,
 * diversity, novelty), {@code report.md}, {@code report.png} and {@code run.json}. Each task's result is saved as
 * it finishes ({@link #PARTIAL_FILE}), so an interrupted probe resumes at the first unfinished task.
 */
public final class ProbeRunner {
    /** Sub-folder of the score dir where the random control's results are kept and reused. */
    public static final String CONTROL_DIR = "control-random";
    /**
     * The file of the score dir that holds the tasks finished so far while a probe runs (one write after each task);
     * a rerun with the same embeddings, data and probe settings reuses them, so an interrupted probe resumes at the
     * first unfinished task. Removed when the score dir is complete.
     */
    public static final String PARTIAL_FILE = PartialResults.FILE;

    /**
     * @param control probe a random Gaussian embedding of the same shape instead of the given one
     * @param baseline when the data dir has an oracle, also score (or reuse) the random control for the report
     */
    public record Config(ProbeKind kind, List<Task> tasks, long seed, boolean control, boolean baseline) {
        public Config {
            if (tasks.isEmpty()) {
                throw new BadInputException("no tasks given");
            }
            tasks = List.copyOf(new java.util.LinkedHashSet<>(tasks));
        }

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("probe", kind.cliName());
            List<Object> ts = new ArrayList<>();
            tasks.forEach(t -> ts.add(t.cliName()));
            m.put("tasks", ts);
            m.put("control", control ? "random" : "none");
            m.put("probe_settings", kind.settings(seed));
            return m;
        }

        /** The config {@link #toMap()} wrote; the seed is run.json's own field, the baseline a run option. */
        static Config fromMap(Map<String, Object> map, long seed, boolean baseline) {
            ConfigMap m = ConfigMap.of(map, "probe config");
            List<Task> tasks = new ArrayList<>();
            m.getList("tasks").forEach(t -> tasks.add(Task.ofName(String.valueOf(t))));
            return new Config(ProbeKind.ofName(m.getString("probe")), tasks, seed,
                    "random".equals(m.getString("control")), baseline);
        }
    }

    private final PrintStream log;
    private final java.util.function.Consumer<Task> afterTask;

    public ProbeRunner(PrintStream log) {
        this(log, t -> { });
    }

    /** As {@link #ProbeRunner(PrintStream)}, calling {@code afterTask} when a task's result is saved. */
    ProbeRunner(PrintStream log, java.util.function.Consumer<Task> afterTask) {
        this.log = log;
        this.afterTask = afterTask;
    }

    public ProbeSummary run(ChallengeDataDir data, Path embeddingsDir, Path scoreDir, Config cfg) {
        long t0 = System.nanoTime();
        List<String> problems = new ArrayList<>();
        if (!Files.isRegularFile(data.relevantClientsFile())) {
            problems.add("missing file " + data.relevantClientsFile());
        }
        problems.addAll(Targets.problems(data, cfg.tasks()));
        if (!problems.isEmpty()) {
            throw BadInputException.of("data dir " + data.root() + " cannot be probed", problems);
        }
        new BlockDir(embeddingsDir).requireFinished();
        long[] relevant = RelevantClients.read(data);
        Embeddings.Checked checked = Embeddings.open(embeddingsDir, relevant, cfg.kind().maxDims());
        Embeddings given = checked.embeddings();
        int rows = given.rows();
        int dims = given.dims();
        log.printf(Locale.ROOT, "embeddings %s: %d clients x %d dims%s%n", embeddingsDir, rows, dims,
                cfg.control() ? " (probing a random Gaussian control of this shape instead)" : "");
        Map<Task, TaskTargets> targets = Targets.compute(data, checked.clientIds(), cfg.tasks());
        Probe probe = cfg.kind().create(cfg.seed());
        String device = probe instanceof MlpProbe m ? m.device().toString() : "cpu";
        Embeddings x = cfg.control() ? Embeddings.randomGaussian(rows, dims, cfg.seed()) : given;
        BlockDir block = new BlockDir(embeddingsDir);
        String fp = Fingerprint.of(block.clientIdsFile(), block.embeddingsFile()) + "+"
                + data.fingerprint(ChallengeDataDir.Need.TARGET_WINDOWS);
        String key = cacheKey(data, cfg, rows, dims);
        PartialResults partial = PartialResults.open(scoreDir, key + "|control " + cfg.control() + "|" + fp);
        Map<Task, TaskResult> results = new EnumMap<>(Task.class);
        for (Task t : cfg.tasks()) {
            TaskResult saved = partial.get(t.cliName());
            if (saved != null) {
                results.put(t, saved);
            }
        }
        if (!results.isEmpty()) {
            log.printf(Locale.ROOT, "probe: resuming; %s finished in an earlier run with the same embeddings, data "
                    + "and probe settings (%s)%n", results.keySet(), scoreDir.resolve(PARTIAL_FILE));
        }
        for (Task t : cfg.tasks()) {
            if (!results.containsKey(t)) {
                TaskResult r = probeAll(probe, x, targets, List.of(t)).get(t);
                results.put(t, r);
                partial.put(t.cliName(), r);
                afterTask.accept(t);
            }
        }

        Map<Task, TaskScore> oracle = new EnumMap<>(Task.class);
        Map<Task, TaskScore> random = new EnumMap<>(Task.class);
        if (OracleScores.available(data)) {
            oracle.putAll(OracleScores.score(data, checked.clientIds(), targets));
            if (cfg.control()) {
                results.forEach((t, r) -> random.put(t, r.best()));
            } else if (cfg.baseline()) {
                random.putAll(randomBaseline(data, scoreDir, cfg, probe, targets, rows, dims));
            }
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        ProbeSummary s = new ProbeSummary(cfg.kind(), cfg.control(), rows, dims, device, results, oracle, random,
                secs);
        write(scoreDir, s, cfg, key);
        Map<String, Object> conf = cfg.toMap();
        conf.put("data_dir", data.root().toString());
        conf.put("embeddings_dir", embeddingsDir.toAbsolutePath().toString());
        conf.put("rows", rows);
        conf.put("dims", dims);
        conf.put("device", device);
        RunInfo.write(scoreDir, "probe", conf, cfg.seed(), fp, secs);
        partial.delete();
        return s;
    }

    private Map<Task, TaskResult> probeAll(Probe probe, Embeddings x, Map<Task, TaskTargets> targets,
            List<Task> tasks) {
        Map<Task, TaskResult> results = new EnumMap<>(Task.class);
        for (Task t : tasks) {
            TaskTargets tt = targets.get(t);
            long s0 = System.nanoTime();
            List<TaskScore> epochs = probe.fit(x, tt, validator(tt));
            TaskResult r = TaskResult.of(t, epochs, tt.samples(), (System.nanoTime() - s0) / 1e9);
            results.put(t, r);
            log.printf(Locale.ROOT, "%-20s %-8s auroc %.4f  score %.4f  (best epoch %d, %d clients, %.1f s)%n",
                    t.cliName(), probe.name(), r.best().auroc(), r.score(), r.bestEpoch(), r.samples(), r.seconds());
        }
        return results;
    }

    /** Scores validation logits of a task against its validation labels, as the organisers do. */
    public static Probe.Validator validator(TaskTargets t) {
        byte[] labels = t.validation().dense();
        int n = t.samples();
        int width = t.width();
        if (t.task().isBinary()) {
            return logits -> Metrics.binary(logits, labels);
        }
        long[] pop = t.popularity();
        return logits -> Metrics.propensity(logits, labels, n, width, pop);
    }

    private Map<Task, TaskScore> randomBaseline(ChallengeDataDir data, Path scoreDir, Config cfg, Probe probe,
            Map<Task, TaskTargets> targets, int rows, int dims) {
        Path dir = scoreDir.resolve(CONTROL_DIR);
        String key = cacheKey(data, cfg, rows, dims);
        Map<Task, TaskScore> cached = readCached(dir, key);
        List<Task> todo = new ArrayList<>();
        for (Task t : cfg.tasks()) {
            if (!cached.containsKey(t)) {
                todo.add(t);
            }
        }
        if (!todo.isEmpty()) {
            log.printf(Locale.ROOT, "random control (same probe, %d x %d Gaussian) for %s%n", rows, dims, todo);
            Embeddings z = Embeddings.randomGaussian(rows, dims, cfg.seed());
            long t0 = System.nanoTime();
            Map<Task, TaskResult> res = probeAll(probe, z, targets, todo);
            Map<Task, TaskResult> all = new EnumMap<>(Task.class);
            for (Task t : cached.keySet()) {
                all.put(t, TaskResult.of(t, List.of(cached.get(t)), targets.get(t).samples(), 0));
            }
            all.putAll(res);
            ProbeSummary s = new ProbeSummary(cfg.kind(), true, rows, dims, "", all, Map.of(), Map.of(),
                    (System.nanoTime() - t0) / 1e9);
            write(dir, s, cfg, key);
            res.forEach((t, r) -> cached.put(t, r.best()));
        } else {
            log.println("random control: reusing " + dir);
        }
        return cached;
    }

    private static String cacheKey(ChallengeDataDir data, Config cfg, int rows, int dims) {
        return cfg.kind().settingsKey(cfg.seed()) + "|" + rows + "x" + dims + "|" + data.fingerprint(
                ChallengeDataDir.Need.TARGET_WINDOWS);
    }

    @SuppressWarnings("unchecked")
    private static Map<Task, TaskScore> readCached(Path dir, String key) {
        Map<Task, TaskScore> out = new EnumMap<>(Task.class);
        Path f = dir.resolve("metrics.json");
        if (!Files.isRegularFile(f)) {
            return out;
        }
        try {
            Map<String, Object> m = Json.parseObject(Files.readString(f));
            if (!key.equals(m.get("cache_key"))) {
                return out;
            }
            Map<String, Object> tasks = (Map<String, Object>) m.get("tasks");
            for (Map.Entry<String, Object> e : tasks.entrySet()) {
                Task t = Task.ofName(e.getKey());
                Map<String, Object> r = (Map<String, Object>) e.getValue();
                List<Object> epochs = (List<Object>) r.get("epochs");
                Map<String, Object> best = (Map<String, Object>) epochs.get(((Number) r.get("best_epoch")).intValue());
                out.put(t, TaskResult.scoreFromMap(t, best));
            }
        } catch (IOException | RuntimeException e) {
            out.clear();
        }
        return out;
    }

    /** Writes scores.json, epochs.json, metrics.json, report.md and report.png into {@code dir}. */
    static void write(Path dir, ProbeSummary s, Config cfg, String cacheKey) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create score dir " + dir, e);
        }
        Map<String, Object> scores = new LinkedHashMap<>();
        Map<String, Object> epochs = new LinkedHashMap<>();
        Map<String, Object> tasks = new LinkedHashMap<>();
        for (Task t : Task.values()) {
            TaskResult r = s.results().get(t);
            if (r == null) {
                continue;
            }
            scores.put(t.scoreKey(), r.score());
            epochs.put(t.scoreKey(), (long) r.bestEpoch());
            Map<String, Object> m = r.toMap();
            if (s.oracle().containsKey(t)) {
                m.put("oracle", TaskResult.scoreMap(s.oracle().get(t)));
            }
            if (s.random().containsKey(t) && !s.control()) {
                m.put("random", TaskResult.scoreMap(s.random().get(t)));
            }
            double g = s.gapClosed(t);
            if (!Double.isNaN(g)) {
                m.put("gap_closed_auroc", g);
            }
            tasks.put(t.cliName(), m);
        }
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("probe", s.kind().cliName());
        metrics.put("control", s.control() ? "random" : "none");
        metrics.put("rows", s.rows());
        metrics.put("dims", s.dims());
        metrics.put("cache_key", cacheKey);
        metrics.put("tasks", tasks);
        AtomicFiles.writeString(dir.resolve("scores.json"), Json.write(scores));
        AtomicFiles.writeString(dir.resolve("epochs.json"), Json.write(epochs));
        AtomicFiles.writeString(dir.resolve("metrics.json"), Json.write(metrics));
        ProbeReport.write(dir, s, cfg.tasks());
    }
}
