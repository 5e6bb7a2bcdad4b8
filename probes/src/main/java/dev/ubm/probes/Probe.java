package dev.ubm.probes;

import dev.ubm.probes.metrics.TaskScore;
import dev.ubm.probes.targets.TaskTargets;

import java.util.List;

/**
 * A probe: trains a small model from embedding rows to one task's train-window labels and scores its predictions
 * on the validation-window labels of the same clients, once per epoch (one "epoch" for probes without epochs).
 */
public interface Probe {
    /** Short name written into reports (official, fast, xgboost, linear). */
    String name();

    /**
     * Trains on {@code targets.train()} for the rows {@code targets.rows()} of {@code x} (in that order) and
     * returns the validation score after each epoch.
     */
    List<TaskScore> fit(Embeddings x, TaskTargets targets, Validator validator);

    /** Scores validation logits of one task (rows x width, row-major) as the organisers do. */
    @FunctionalInterface
    interface Validator {
        TaskScore score(float[] logits);
    }
}
