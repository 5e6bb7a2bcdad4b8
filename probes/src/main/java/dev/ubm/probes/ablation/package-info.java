/**
 * The ablation runner: probes each block alone, all blocks and every leave-one-block-out combination with one probe
 * and writes ablation.csv, ablation.md and ablation.png.
 */
package dev.ubm.probes.ablation;
