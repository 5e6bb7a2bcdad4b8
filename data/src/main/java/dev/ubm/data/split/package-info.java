/**
 * {@code ubm split}: the organisers' time split of a raw data dir into input/ events and target/ windows, plus the
 * public target lists (active clients, propensity_* and popularity_*). See {@link dev.ubm.data.split.Splitter}.
 */
package dev.ubm.data.split;
