package dev.ubm.probes.targets;

import dev.ubm.core.Task;

/**
 * Everything a probe needs for one task: which embedding rows are its samples (in submission order; churn keeps
 * only active clients), their labels in the train and validation windows, and for propensity tasks the target
 * list and its popularity (for the novelty metric).
 *
 * @param rows embedding row of each sample, ascending (the submission order)
 * @param targetList the label values (sku, category or price) for propensity tasks, else empty
 * @param popularity popularity of each label for the novelty metric, else empty
 */
public record TaskTargets(Task task, int[] rows, Labels train, Labels validation, long[] targetList,
        long[] popularity) {
    public TaskTargets {
        if (train.rows() != rows.length || validation.rows() != rows.length) {
            throw new IllegalArgumentException("labels and rows differ in length");
        }
        if (train.width() != validation.width()) {
            throw new IllegalArgumentException("train and validation widths differ");
        }
        if (!task.isBinary() && popularity.length != train.width()) {
            throw new IllegalArgumentException(task.cliName() + ": " + popularity.length + " popularities for "
                    + train.width() + " labels");
        }
    }

    /** Number of probe outputs (1 for binary tasks, the target list length otherwise). */
    public int width() {
        return train.width();
    }

    public int samples() {
        return rows.length;
    }
}
