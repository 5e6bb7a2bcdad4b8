/**
 * The organisers' evaluation metrics (binary and macro multilabel AUROC, diversity, novelty, the weighted
 * propensity score), reproduced to match their training_pipeline on golden cases.
 */
package dev.ubm.probes.metrics;
