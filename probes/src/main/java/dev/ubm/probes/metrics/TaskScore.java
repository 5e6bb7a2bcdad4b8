package dev.ubm.probes.metrics;

/**
 * One validation result of a task: the AUROC and, for propensity tasks, diversity and novelty. {@link #score()} is
 * the organisers' weighted metric (the AUROC itself for churn and conversion).
 */
public record TaskScore(double auroc, double diversity, double novelty, boolean propensity) {
    public static TaskScore binary(double auroc) {
        return new TaskScore(auroc, Double.NaN, Double.NaN, false);
    }

    public static TaskScore propensity(double auroc, double diversity, double novelty) {
        return new TaskScore(auroc, diversity, novelty, true);
    }

    /** 0.8 AUROC + 0.1 diversity + 0.1 novelty for propensity tasks (in the organisers' order), else the AUROC. */
    public double score() {
        return propensity ? 0.8 * auroc + 0.1 * diversity + 0.1 * novelty : auroc;
    }
}
