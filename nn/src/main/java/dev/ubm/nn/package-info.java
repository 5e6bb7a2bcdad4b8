/**
 * Shared DJL building blocks for the learned encoders: engine and device setup ({@link dev.ubm.nn.Engines}), a
 * pre-LN causal transformer ({@link dev.ubm.nn.CausalTransformer}, {@link dev.ubm.nn.PreLnTransformerLayer},
 * {@link dev.ubm.nn.CausalSelfAttention}), an AdamW optimizer whose state can be checkpointed
 * ({@link dev.ubm.nn.AdamW}), checkpoints ({@link dev.ubm.nn.Checkpoint}), learning-rate schedules and loss curves
 * ({@link dev.ubm.nn.LossCurve}). NDArrays never leave the module that creates them: callers pass plain arrays.
 */
package dev.ubm.nn;
