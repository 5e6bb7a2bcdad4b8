package dev.ubm.probes;

import dev.ubm.core.Task;
import dev.ubm.probes.metrics.Metrics;
import dev.ubm.probes.metrics.TaskScore;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One task's probe result: the validation score after each epoch and the best epoch, chosen as the organisers
 * choose it (the first epoch with the highest weighted score); {@link #score()} is what scores.json holds.
 */
public record TaskResult(Task task, List<TaskScore> epochs, int bestEpoch, int samples, double seconds) {
    public TaskResult {
        epochs = List.copyOf(epochs);
        if (epochs.isEmpty() || bestEpoch < 0 || bestEpoch >= epochs.size()) {
            throw new IllegalArgumentException("no epochs or bad best epoch");
        }
    }

    public static TaskResult of(Task task, List<TaskScore> epochs, int samples, double seconds) {
        int best = 0;
        for (int e = 1; e < epochs.size(); e++) {
            if (epochs.get(e).score() > epochs.get(best).score()) {
                best = e;
            }
        }
        return new TaskResult(task, epochs, best, samples, seconds);
    }

    public TaskScore best() {
        return epochs.get(bestEpoch);
    }

    /** The best epoch's weighted score rounded to 4 decimals, as in the organisers' scores.json. */
    public double score() {
        return Metrics.round4(best().score());
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("task", task.cliName());
        m.put("score", score());
        m.put("best_epoch", bestEpoch);
        m.put("samples", samples);
        m.put("seconds", Math.round(seconds * 100) / 100.0);
        List<Object> es = new ArrayList<>();
        for (TaskScore s : epochs) {
            es.add(scoreMap(s));
        }
        m.put("epochs", es);
        return m;
    }

    /** The inverse of {@link #toMap()}. */
    @SuppressWarnings("unchecked")
    static TaskResult fromMap(Map<String, Object> m) {
        Task task = Task.ofName(String.valueOf(m.get("task")));
        List<TaskScore> epochs = new ArrayList<>();
        for (Object o : (List<Object>) m.get("epochs")) {
            epochs.add(scoreFromMap(task, (Map<String, Object>) o));
        }
        return new TaskResult(task, epochs, ((Number) m.get("best_epoch")).intValue(),
                ((Number) m.get("samples")).intValue(), ((Number) m.get("seconds")).doubleValue());
    }

    /** The inverse of {@link #scoreMap(TaskScore)} for a score of {@code task}. */
    static TaskScore scoreFromMap(Task task, Map<String, Object> e) {
        double auroc = ((Number) e.get("auroc")).doubleValue();
        return task.isBinary() ? TaskScore.binary(auroc)
                : TaskScore.propensity(auroc, ((Number) e.get("diversity")).doubleValue(),
                        ((Number) e.get("novelty")).doubleValue());
    }

    static Map<String, Object> scoreMap(TaskScore s) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("auroc", s.auroc());
        if (s.propensity()) {
            e.put("diversity", s.diversity());
            e.put("novelty", s.novelty());
        }
        e.put("score", s.score());
        return e;
    }
}
