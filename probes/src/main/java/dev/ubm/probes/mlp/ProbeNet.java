package dev.ubm.probes.mlp;

import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.initializer.UniformInitializer;

import java.util.List;

/**
 * The organisers' probe network ({@code training_pipeline/model.py Net}) as a DJL block: Linear(D -> thin) ->
 * LayerNorm -> blocks x [x + Linear(wide -> thin)(GELU(Linear(thin -> wide)(LayerNorm(x))))] -> LayerNorm ->
 * Linear(thin -> outputs). Linear layers are initialised as torch's nn.Linear (weights and biases uniform in
 * ±1/sqrt(fan_in)), LayerNorms with ones and zeros (epsilon 1e-5); GELU is the exact (erf) one. About 51.0M
 * parameters at D = 320 with the official widths.
 */
public final class ProbeNet {
    private ProbeNet() {
    }

    public static Block build(int inputDims, int outputs, MlpConfig cfg) {
        SequentialBlock net = new SequentialBlock();
        net.add(linear(inputDims, cfg.thin()));
        net.add(LayerNorm.builder().build());
        for (int i = 0; i < cfg.blocks(); i++) {
            net.add(residual(cfg.thin(), cfg.wide()));
        }
        net.add(LayerNorm.builder().build());
        net.add(linear(cfg.thin(), outputs));
        return net;
    }

    /** x + Block(LN(x)) with Block the inverted bottleneck Linear -> GELU -> Linear. */
    static Block residual(int thin, int wide) {
        SequentialBlock branch = new SequentialBlock()
                .add(LayerNorm.builder().build())
                .add(linear(thin, wide))
                .add(Activation.geluBlock())
                .add(linear(wide, thin));
        return new ParallelBlock(ProbeNet::sum, List.of(Blocks.identityBlock(), branch));
    }

    private static NDList sum(List<NDList> in) {
        return new NDList(in.get(0).singletonOrThrow().add(in.get(1).singletonOrThrow()));
    }

    /** A Linear layer initialised as torch's nn.Linear(fanIn, units). */
    static Linear linear(int fanIn, int units) {
        Linear l = Linear.builder().setUnits(units).build();
        float bound = (float) (1.0 / Math.sqrt(fanIn));
        l.setInitializer(new UniformInitializer(bound), Parameter.Type.WEIGHT);
        l.setInitializer(new UniformInitializer(bound), Parameter.Type.BIAS);
        return l;
    }
}
