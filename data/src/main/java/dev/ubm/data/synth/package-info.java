/**
 * The embedded synthetic world ({@code ubm synth}): a generator that writes the challenge's raw layout with planted,
 * documented signal (docs/synth.md), and an {@link dev.ubm.data.synth.Oracle} that knows each relevant client's
 * probability of every task label in the validation window, from the simulator's intensities integrated along K
 * simulated futures. {@link dev.ubm.data.synth.Profile} chooses the mechanisms a world plants.
 */
package dev.ubm.data.synth;
