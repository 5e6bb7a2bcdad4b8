package dev.ubm.probes.mlp;

import dev.ubm.core.ConfigMap;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Hyperparameters of the MLP probe. {@link #OFFICIAL} is the organisers' fixed setting (training_pipeline
 * constants: thin 2048, wide 4096, batch 128, 3 epochs, lr 1e-3, AdamW torch defaults with weight decay 0.01,
 * seed 1278); {@link #FAST} keeps the shape and the training recipe with small widths for quick iteration.
 *
 * @param thin width of the residual stream
 * @param wide width inside each inverted-bottleneck block
 * @param blocks number of residual blocks
 * @param evalBatch rows per validation forward pass (does not change the scores, only the speed)
 */
public record MlpConfig(int thin, int wide, int blocks, int batch, int epochs, double learningRate,
        double weightDecay, double beta1, double beta2, double epsilon, int seed, int evalBatch) {
    public static final MlpConfig OFFICIAL = new MlpConfig(2048, 4096, 3, 128, 3, 1e-3, 0.01, 0.9, 0.999, 1e-8,
            1278, 1024);
    public static final MlpConfig FAST = new MlpConfig(256, 512, 3, 128, 3, 1e-3, 0.01, 0.9, 0.999, 1e-8, 1278,
            4096);

    public MlpConfig {
        if (thin < 1 || wide < 1 || blocks < 0 || batch < 1 || epochs < 1 || evalBatch < 1) {
            throw new IllegalArgumentException("widths, batch, epochs must be positive: " + this);
        }
        if (!(learningRate > 0) || weightDecay < 0 || !(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)
                || !(epsilon > 0)) {
            throw new IllegalArgumentException("bad optimiser settings: " + this);
        }
    }

    public MlpConfig withWidths(int newThin, int newWide) {
        return new MlpConfig(newThin, newWide, blocks, batch, epochs, learningRate, weightDecay, beta1, beta2,
                epsilon, seed, evalBatch);
    }

    public MlpConfig withEpochs(int newEpochs) {
        return new MlpConfig(thin, wide, blocks, batch, newEpochs, learningRate, weightDecay, beta1, beta2, epsilon,
                seed, evalBatch);
    }

    public MlpConfig withSeed(int newSeed) {
        return new MlpConfig(thin, wide, blocks, batch, epochs, learningRate, weightDecay, beta1, beta2, epsilon,
                newSeed, evalBatch);
    }

    /** Number of parameters for an input of {@code dims} columns and {@code outputs} outputs. */
    public long parameterCount(int dims, int outputs) {
        long input = (long) dims * thin + thin + 2L * thin;
        long block = 2L * thin + ((long) thin * wide + wide) + ((long) wide * thin + thin);
        long output = 2L * thin + (long) thin * outputs + outputs;
        return input + blocks * block + output;
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("thin", thin);
        m.put("wide", wide);
        m.put("blocks", blocks);
        m.put("batch", batch);
        m.put("epochs", epochs);
        m.put("learning_rate", learningRate);
        m.put("weight_decay", weightDecay);
        m.put("beta1", beta1);
        m.put("beta2", beta2);
        m.put("epsilon", epsilon);
        m.put("seed", seed);
        m.put("eval_batch", evalBatch);
        return m;
    }

    /** The config {@link #toMap()} wrote. */
    public static MlpConfig fromMap(Map<String, Object> map) {
        ConfigMap m = ConfigMap.of(map, "mlp probe config");
        return new MlpConfig(m.getInt("thin"), m.getInt("wide"), m.getInt("blocks"), m.getInt("batch"),
                m.getInt("epochs"), m.getDouble("learning_rate"), m.getDouble("weight_decay"), m.getDouble("beta1"),
                m.getDouble("beta2"), m.getDouble("epsilon"), m.getInt("seed"), m.getInt("eval_batch"));
    }
}
