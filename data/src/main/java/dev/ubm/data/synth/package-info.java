/**
 * The embedded synthetic world ({@code ubm synth}): a generator that writes the challenge's raw layout with planted,
 * documented signal (docs/synth.md), and an {@link dev.ubm.data.synth.Oracle} that knows each relevant client's
 * probability of every task label in the validation window, estimated from K simulated futures.
 */
package dev.ubm.data.synth;
