/**
 * Shared DJL building blocks for the learned encoders: engine and device setup ({@link dev.ubm.nn.Engines}), a
 * pre-LN causal transformer ({@link dev.ubm.nn.CausalTransformer}, {@link dev.ubm.nn.PreLnTransformerLayer},
 * {@link dev.ubm.nn.CausalSelfAttention}), the one training loop of every trained model
 * ({@link dev.ubm.nn.TrainingLoop}), the one AdamW optimizer, dense and lazy-table, whose state can be checkpointed
 * ({@link dev.ubm.nn.AdamW}, {@link dev.ubm.nn.LazyAdamTable}), checkpoints ({@link dev.ubm.nn.Checkpoint}), learning-rate schedules and loss curves
 * ({@link dev.ubm.nn.LossCurve}). NDArrays never leave the module that creates them: callers pass plain arrays.
 */
package dev.ubm.nn;
