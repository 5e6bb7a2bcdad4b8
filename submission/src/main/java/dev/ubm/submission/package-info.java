/**
 * From blocks to a leaderboard submission: {@link dev.ubm.submission.Combiner} scales, reduces (PCA), weights,
 * imputes, shuffles and concatenates block dirs into a float16 submission of at most 2048 columns, and
 * {@link dev.ubm.data.BlockCheck} (in data) applies every organisers' submission rule, reporting all problems.
 */
package dev.ubm.submission;
