/**
 * Tabular building blocks (DJL): bin edges and the piecewise-linear encoding of numeric features
 * ({@link dev.ubm.nn.tabular.PleBins}, {@link dev.ubm.nn.tabular.PiecewiseLinearEmbedding}), column standardisation
 * ({@link dev.ubm.nn.tabular.Columns}), the low-rank DCN-v2
 * cross layer and network, a DenseNet-style MLP and the stacked/parallel DCN-v2 that combines them.
 */
package dev.ubm.nn.tabular;
