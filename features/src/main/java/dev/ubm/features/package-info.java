/**
 * Hand-crafted feature blocks as versioned SQL over the event store: ubm's own {@code full} set (a few hundred
 * features per client) and the organisers' aggregated-features {@code baseline}, reproduced. Entry point:
 * {@link dev.ubm.features.FeatureBlocks#run}. The SQL lives in {@code resources/dev/ubm/features/<set>/<version>/}.
 */
package dev.ubm.features;
