package dev.ubm.probes;

import dev.ubm.core.ChallengeDataDir;
import dev.ubm.core.Task;
import dev.ubm.data.synth.Oracle;
import dev.ubm.probes.metrics.TaskScore;
import dev.ubm.probes.targets.TaskTargets;

import java.nio.file.Files;
import java.util.EnumMap;
import java.util.Map;

/**
 * The synthetic world's oracle ({@link Oracle}: per client and label, the probability of the label over the
 * validation window that the simulator's intensities give, averaged over K simulated futures) scored with the organisers' metrics against the realised validation
 * labels: the ceiling of every report. Probabilities enter the metrics as logits (clamped to [1e-6, 1 - 1e-6]), so
 * the organisers' sigmoid gives them back.
 */
public final class OracleScores {
    private OracleScores() {
    }

    /** True when the data dir was written by {@code ubm synth} and carries its oracle. */
    public static boolean available(ChallengeDataDir dir) {
        // the file names of SyntheticWorld (package-private there)
        return Files.isRegularFile(dir.oracleDir().resolve("oracle.json"))
                && Files.isRegularFile(dir.oracleDir().resolve("futures.parquet"));
    }

    /** The oracle's score per task, on each task's samples. */
    public static Map<Task, TaskScore> score(ChallengeDataDir dir, long[] clientIds, Map<Task, TaskTargets> tasks) {
        Oracle oracle = Oracle.open(dir.root());
        Map<Task, TaskScore> out = new EnumMap<>(Task.class);
        for (Map.Entry<Task, TaskTargets> e : tasks.entrySet()) {
            TaskTargets t = e.getValue();
            int[] rows = t.rows();
            long[] ids = new long[rows.length];
            for (int i = 0; i < rows.length; i++) {
                ids[i] = clientIds[rows[i]];
            }
            float[][] p = oracle.probabilities(e.getKey(), ids, t.targetList());
            int width = t.width();
            float[] logits = new float[rows.length * width];
            for (int i = 0; i < rows.length; i++) {
                for (int j = 0; j < width; j++) {
                    logits[i * width + j] = logit(p[i][j]);
                }
            }
            out.put(e.getKey(), ProbeRunner.validator(t).score(logits));
        }
        return out;
    }

    static float logit(float probability) {
        double p = Math.min(1 - 1e-6, Math.max(1e-6, probability));
        return (float) Math.log(p / (1 - p));
    }
}
