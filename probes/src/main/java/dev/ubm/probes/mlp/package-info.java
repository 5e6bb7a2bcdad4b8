/**
 * The MLP probes in DJL: the organisers' probe network ({@link dev.ubm.probes.mlp.ProbeNet}), torch's AdamW
 * ({@link dev.ubm.probes.mlp.TorchAdamW}) and the training loop ({@link dev.ubm.probes.mlp.MlpProbe}) used by the
 * official and the fast probe.
 */
package dev.ubm.probes.mlp;
