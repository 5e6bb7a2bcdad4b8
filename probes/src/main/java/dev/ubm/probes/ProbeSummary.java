package dev.ubm.probes;

import dev.ubm.core.Task;
import dev.ubm.probes.metrics.TaskScore;

import java.util.Map;

/**
 * What one {@code ubm probe} run found: per task the probe's result and, when known, the oracle's score (synthetic
 * worlds) and the score of a random Gaussian embedding of the same shape under the same probe.
 *
 * @param control true when this run probed the random control instead of the given embedding
 */
public record ProbeSummary(ProbeKind kind, boolean control, int rows, int dims, String device,
        Map<Task, TaskResult> results, Map<Task, TaskScore> oracle, Map<Task, TaskScore> random, double seconds) {
    public ProbeSummary {
        results = Map.copyOf(results);
        oracle = Map.copyOf(oracle);
        random = Map.copyOf(random);
    }

    /**
     * Share of the AUROC gap from the random embedding to the oracle that the embedding closes (1 = as good as the
     * oracle, 0 = no better than random), or NaN when either end is unknown or the gap is empty.
     */
    public double gapClosed(Task t) {
        TaskResult r = results.get(t);
        TaskScore o = oracle.get(t);
        TaskScore z = random.get(t);
        if (r == null || o == null || z == null) {
            return Double.NaN;
        }
        double gap = o.auroc() - z.auroc();
        return gap > 1e-9 ? (r.best().auroc() - z.auroc()) / gap : Double.NaN;
    }
}
