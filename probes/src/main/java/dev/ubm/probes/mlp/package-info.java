/**
 * The MLP probes in DJL: the organisers' probe network ({@link dev.ubm.probes.mlp.ProbeNet}) and the model
 * ({@link dev.ubm.probes.mlp.MlpProbe}) used by the official and the fast probe, trained with nn's AdamW (torch's,
 * step for step).
 */
package dev.ubm.probes.mlp;
