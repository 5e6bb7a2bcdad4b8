package dev.ubm.encoders.dcn;

import dev.ubm.core.BadInputException;
import dev.ubm.core.ConfigMap;
import dev.ubm.core.Task;
import dev.ubm.nn.tabular.DcnV2;
import dev.ubm.nn.tabular.PleBins;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hyperparameters of the DCN tabular encoder, validated up front and written into block.json. Defaults are sized
 * to train in about a minute on 10k clients on 2 CPU cores.
 *
 * @param bins T, the most PLE bins per numeric feature
 * @param binMethod quantile bins, or target-aware tree bins (fitted on the conversion label)
 * @param featureDim d, the embedding size per numeric feature
 * @param relu ReLU after the per-feature embedding
 * @param structure stacked (cross → MLP) or parallel (concat[cross, MLP])
 * @param crossLayers number of low-rank cross layers
 * @param rank r of the cross layers
 * @param mlpWidths widths of the DenseNet-style MLP
 * @param dropout dropout after each MLP layer
 * @param blockDim size of the bottleneck layer whose activations form the block
 * @param normalizeBlock layer-normalise the bottleneck (no affine terms) before the heads and in the block, so
 *        every row has norm √blockDim and an L2 row scaling downstream loses nothing
 * @param tasks supervised heads (binary tasks: no-buy label; propensity tasks: multi-hot over the target list)
 * @param activityWeight weight of the auxiliary head that regresses log1p(events per type) in the label window
 *        (a dense signal for every client, unlike the mostly-negative buy labels; 0 = off)
 * @param labelDays length of the label window at the end of the input period
 * @param epochs passes over the training clients
 * @param batchSize clients per step
 * @param learningRate AdamW learning rate
 * @param weightDecay AdamW (decoupled) weight decay
 * @param maskProb probability of masking each input feature in the contrastive view
 * @param contrastiveWeight weight of the InfoNCE loss between the clean and the masked view (0 = off)
 * @param temperature InfoNCE temperature
 * @param holdout share of training clients held out to report a validation loss
 */
public record DcnConfig(int bins, PleBins.Method binMethod, int featureDim, boolean relu, DcnV2.Structure structure,
        int crossLayers, int rank, int[] mlpWidths, float dropout, int blockDim, boolean normalizeBlock, Layer layer, List<Task> tasks,
        float activityWeight, int labelDays, int epochs, int batchSize, float learningRate, float weightDecay,
        float maskProb, float contrastiveWeight, float temperature, float holdout) {

    /** The hidden layer that becomes the block. */
    public enum Layer {
        /** The blockDim-wide linear bottleneck the heads read (default). */
        BOTTLENECK,
        /** The DCN-v2 output (cross and/or MLP), before the bottleneck. */
        DCN,
        /**
         * The bottleneck followed by the logits of every binary head (one column per task label: churn, conversion,
         * each listed category, sku, new sku and price bucket), each logit column standardised over the embedded
         * rows: a column per label the probe can read directly.
         */
        LOGITS
    }

    /** All six challenge tasks (the new-sku head trains on a proxy list per window; see {@code AsOf#newSkuProxy}). */
    public static final List<Task> DEFAULT_TASKS = List.of(Task.CHURN, Task.CONVERSION, Task.PROPENSITY_CATEGORY,
            Task.PROPENSITY_SKU, Task.PROPENSITY_NEW_SKU, Task.PROPENSITY_PRICE);

    public DcnConfig {
        List<String> p = new ArrayList<>();
        check(p, bins >= 1 && bins <= 1024, "bins must be in 1..1024");
        check(p, binMethod != null, "binMethod is required");
        check(p, featureDim >= 1 && featureDim <= 256, "featureDim must be in 1..256");
        check(p, structure != null, "structure is required");
        check(p, crossLayers >= 0 && crossLayers <= 16, "crossLayers must be in 0..16");
        check(p, rank >= 1, "rank must be ≥ 1");
        check(p, mlpWidths != null && mlpWidths.length > 0 && Arrays.stream(mlpWidths).allMatch(w -> w >= 1),
                "mlpWidths needs at least one width ≥ 1");
        check(p, dropout >= 0 && dropout < 1, "dropout must be in [0, 1)");
        check(p, blockDim >= 1 && blockDim <= 2048, "blockDim must be in 1..2048");
        check(p, layer != null, "layer is required");
        check(p, tasks != null && !tasks.isEmpty(), "at least one task is required");
        check(p, activityWeight >= 0, "activityWeight must be ≥ 0");
        check(p, labelDays >= 1, "labelDays must be ≥ 1");
        check(p, epochs >= 1, "epochs must be ≥ 1");
        check(p, batchSize >= 2, "batchSize must be ≥ 2");
        check(p, learningRate > 0, "learningRate must be > 0");
        check(p, weightDecay >= 0, "weightDecay must be ≥ 0");
        check(p, maskProb >= 0 && maskProb < 1, "maskProb must be in [0, 1)");
        check(p, contrastiveWeight >= 0, "contrastiveWeight must be ≥ 0");
        check(p, temperature > 0, "temperature must be > 0");
        check(p, holdout >= 0 && holdout < 0.5, "holdout must be in [0, 0.5)");
        if (!p.isEmpty()) {
            throw BadInputException.of("invalid DCN config", p);
        }
        mlpWidths = mlpWidths.clone();
        tasks = List.copyOf(tasks);
    }

    /**
     * The defaults: parallel DCN-v2 with 3 cross layers of rank 32 and a [256, 128] DenseNet MLP over PLE (16
     * quantile bins × d 4) embeddings, a 128-d bottleneck (fast probe on the default world, 3 probe seeds: sku
     * 0.848 vs 0.841 at 64 d, price 0.890 vs 0.887), the activity head at weight 1, 6 epochs of Adam at 5e-4 (1e-3
     * starts with a loss spike on the 553 full features of the default world).
     */
    public static DcnConfig defaults() {
        return new DcnConfig(16, PleBins.Method.QUANTILE, 4, false, DcnV2.Structure.PARALLEL, 3, 32,
                new int[] {256, 128}, 0.1f, 128, true, Layer.BOTTLENECK, DEFAULT_TASKS, 1f, 14, 6, 256, 5e-4f, 0f, 0.3f,
                0.1f, 0.1f, 0.1f);
    }

    private static void check(List<String> problems, boolean ok, String message) {
        if (!ok) {
            problems.add(message);
        }
    }

    @Override
    public int[] mlpWidths() {
        return mlpWidths.clone();
    }

    /** The DCN-v2 part of the config. */
    public DcnV2.Config dcnV2() {
        return new DcnV2.Config(structure, crossLayers, rank, mlpWidths, dropout);
    }

    /** A copy with another number of epochs (tests and quick runs). */
    public DcnConfig withEpochs(int n) {
        return new DcnConfig(bins, binMethod, featureDim, relu, structure, crossLayers, rank, mlpWidths, dropout,
                blockDim, normalizeBlock, layer, tasks, activityWeight, labelDays, n, batchSize, learningRate, weightDecay, maskProb,
                contrastiveWeight, temperature, holdout);
    }

    /** A copy with other supervised tasks (the stage drops a task whose target list the data dir lacks). */
    public DcnConfig withTasks(List<Task> t) {
        return new DcnConfig(bins, binMethod, featureDim, relu, structure, crossLayers, rank, mlpWidths, dropout,
                blockDim, normalizeBlock, layer, t, activityWeight, labelDays, epochs, batchSize, learningRate,
                weightDecay, maskProb, contrastiveWeight, temperature, holdout);
    }

    /** The config as a flat map for block.json. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("bins", bins);
        m.put("bin_method", binMethod.name().toLowerCase());
        m.put("feature_dim", featureDim);
        m.put("relu", relu);
        m.put("structure", structure.name().toLowerCase());
        m.put("cross_layers", crossLayers);
        m.put("rank", rank);
        List<Object> w = new ArrayList<>();
        for (int x : mlpWidths) {
            w.add(x);
        }
        m.put("mlp_widths", w);
        m.put("dropout", (double) dropout);
        m.put("block_dim", blockDim);
        m.put("normalize_block", normalizeBlock);
        m.put("layer", layer.name().toLowerCase());
        List<Object> t = new ArrayList<>();
        for (Task x : tasks) {
            t.add(x.cliName());
        }
        m.put("tasks", t);
        m.put("activity_weight", (double) activityWeight);
        m.put("label_days", labelDays);
        m.put("epochs", epochs);
        m.put("batch_size", batchSize);
        m.put("learning_rate", (double) learningRate);
        m.put("weight_decay", (double) weightDecay);
        m.put("mask_prob", (double) maskProb);
        m.put("contrastive_weight", (double) contrastiveWeight);
        m.put("temperature", (double) temperature);
        m.put("holdout", (double) holdout);
        return m;
    }

    /** The config {@link #toMap()} wrote. */
    public static DcnConfig fromMap(Map<String, Object> map) {
        ConfigMap m = ConfigMap.of(map, "dcn config");
        List<Task> tasks = new ArrayList<>();
        for (Object t : m.getList("tasks")) {
            tasks.add(Task.ofName(String.valueOf(t)));
        }
        int[] widths = m.getIntList("mlp_widths").stream().mapToInt(Integer::intValue).toArray();
        return new DcnConfig(m.getInt("bins"), m.getEnum("bin_method", PleBins.Method.class), m.getInt("feature_dim"),
                m.getBoolean("relu"), m.getEnum("structure", DcnV2.Structure.class), m.getInt("cross_layers"),
                m.getInt("rank"), widths, m.getFloat("dropout"), m.getInt("block_dim"), m.getBoolean("normalize_block"),
                m.getEnum("layer", Layer.class), tasks, m.getFloat("activity_weight"), m.getInt("label_days"),
                m.getInt("epochs"), m.getInt("batch_size"), m.getFloat("learning_rate"), m.getFloat("weight_decay"),
                m.getFloat("mask_prob"), m.getFloat("contrastive_weight"), m.getFloat("temperature"),
                m.getFloat("holdout"));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DcnConfig c && toMap().equals(c.toMap());
    }

    @Override
    public int hashCode() {
        return toMap().hashCode();
    }

    @Override
    public String toString() {
        return "DcnConfig" + toMap();
    }
}
