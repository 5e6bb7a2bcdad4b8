package dev.ubm.gnn;

import dev.ubm.core.ConfigMap;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Hyperparameters of TwHIN training.
 *
 * @param dim             embedding dimension
 * @param epochs          passes; one epoch draws as many positive edges as the graph has edges
 * @param negatives       negatives per positive edge: half corrupt the target, half the source; on each side
 *                        about half are in-batch (endpoints of the chunk's first edges) and half uniform over the
 *                        node type; all are shared by the chunk (PyTorch-BigGraph); weight 1/negatives, label 0
 * @param chunk           positive edges per chunk (one relation per chunk, one set of negatives per side); must
 *                        exceed the in-batch negatives per side
 * @param learningRate    row-wise Adagrad learning rate
 * @param threads         worker threads (Hogwild updates); results are reproducible for threads = 1
 * @param seed            seeds initialisation and sampling
 * @param initScale       initial row norm (rows are uniform with this expected norm; relation vectors start at 0)
 * @param weightTransform edges are drawn with probability proportional to this transform of their weight
 * @param relationWeights multiplier of each relation's share of the draws (default 1)
 * @param storage         where the embedding table lives
 */
public record TwhinConfig(int dim, int epochs, int negatives, int chunk, double learningRate, int threads,
        long seed, double initScale, WeightTransform weightTransform, Map<Relation, Double> relationWeights,
        Storage storage) {

    /** How an edge's weight (time-decayed count) becomes its sampling weight. */
    public enum WeightTransform {
        LINEAR, SQRT, LOG1P;

        public double apply(double w) {
            return switch (this) {
                case LINEAR -> w;
                case SQRT -> Math.sqrt(w);
                case LOG1P -> Math.log1p(w);
            };
        }
    }

    /** Where the embedding table lives: heap arrays, a memory-mapped file, or heap when it fits comfortably. */
    public enum Storage {
        AUTO, HEAP, MMAP
    }

    public TwhinConfig {
        if (dim < 1 || dim > 4096) {
            throw new IllegalArgumentException("dim must be in 1..4096, got " + dim);
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1 (untrained embeddings are not a block), got "
                    + epochs);
        }
        if (negatives < 1 || negatives > MAX_NEGATIVES) {
            throw new IllegalArgumentException("negatives must be in 1.." + MAX_NEGATIVES + ", got " + negatives);
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learningRate must be positive, got " + learningRate);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        if (!(initScale >= 0) || Double.isInfinite(initScale)) {
            throw new IllegalArgumentException("initScale must be >= 0, got " + initScale);
        }
        if (weightTransform == null || storage == null) {
            throw new IllegalArgumentException("weightTransform and storage are required");
        }
        EnumMap<Relation, Double> rw = new EnumMap<>(Relation.class);
        if (relationWeights != null) {
            for (Map.Entry<Relation, Double> e : relationWeights.entrySet()) {
                if (!(e.getValue() >= 0) || e.getValue().isInfinite()) {
                    throw new IllegalArgumentException("relation weight of " + e.getKey().cliName() + " must be >= 0");
                }
                rw.put(e.getKey(), e.getValue());
            }
        }
        relationWeights = Map.copyOf(rw);
        // the parameters, not the accessors: the fields are assigned after this body
        int inBatchPerSide = inBatch(negatives - negatives / 2);
        if (chunk <= inBatchPerSide || chunk < 2 || chunk > MAX_CHUNK) {
            throw new IllegalArgumentException("chunk must be in 2.." + MAX_CHUNK + " and exceed the in-batch negatives "
                    + "per side (" + inBatchPerSide + "), got " + chunk);
        }
    }

    /** Largest chunk (positive edges that share negatives). */
    public static final int MAX_CHUNK = 8192;
    /** Most negatives per positive edge. */
    public static final int MAX_NEGATIVES = 1024;
    /** Default chunk size. */
    public static final int DEFAULT_CHUNK = 32;

    /** dim 64, 10 epochs, 10 negatives, chunk 32, lr 0.05, log1p sampling weights, storage auto. */
    public static TwhinConfig defaults(int threads, long seed) {
        return new TwhinConfig(64, 10, 10, DEFAULT_CHUNK, 0.05, threads, seed, 0.1, WeightTransform.LOG1P, Map.of(),
                Storage.AUTO);
    }

    public TwhinConfig withDim(int d) {
        return new TwhinConfig(d, epochs, negatives, chunk, learningRate, threads, seed, initScale, weightTransform,
                relationWeights, storage);
    }

    public TwhinConfig withEpochs(int e) {
        return new TwhinConfig(dim, e, negatives, chunk, learningRate, threads, seed, initScale, weightTransform,
                relationWeights, storage);
    }

    public TwhinConfig withThreads(int t) {
        return new TwhinConfig(dim, epochs, negatives, chunk, learningRate, t, seed, initScale, weightTransform,
                relationWeights, storage);
    }

    public TwhinConfig withNegatives(int n) {
        return new TwhinConfig(dim, epochs, n, chunk, learningRate, threads, seed, initScale, weightTransform,
                relationWeights, storage);
    }

    public TwhinConfig withLearningRate(double lr) {
        return new TwhinConfig(dim, epochs, negatives, chunk, lr, threads, seed, initScale, weightTransform,
                relationWeights, storage);
    }

    public TwhinConfig withChunk(int b) {
        return new TwhinConfig(dim, epochs, negatives, b, learningRate, threads, seed, initScale, weightTransform,
                relationWeights, storage);
    }

    public TwhinConfig withStorage(Storage s) {
        return new TwhinConfig(dim, epochs, negatives, chunk, learningRate, threads, seed, initScale, weightTransform,
                relationWeights, s);
    }

    /** Negatives that corrupt the target (the larger half). */
    public int targetNegatives() {
        return negatives - negatives / 2;
    }

    /** Negatives that corrupt the source. */
    public int sourceNegatives() {
        return negatives / 2;
    }

    /** Of k negatives on one side, how many come from the chunk (the rest are uniform). */
    static int inBatch(int k) {
        return (k + 1) / 2;
    }

    public double relationWeight(Relation r) {
        return relationWeights.getOrDefault(r, 1.0);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dim", dim);
        m.put("epochs", epochs);
        m.put("negatives", negatives);
        m.put("chunk", chunk);
        m.put("learning_rate", learningRate);
        m.put("threads", threads);
        m.put("init_scale", initScale);
        m.put("weight_transform", weightTransform.name().toLowerCase(Locale.ROOT));
        Map<String, Object> rw = new TreeMap<>();
        relationWeights.forEach((k, v) -> rw.put(k.cliName(), v));
        m.put("relation_weights", rw);
        m.put("storage", storage.name().toLowerCase(Locale.ROOT));
        return m;
    }

    /** The config {@link #toMap()} wrote; the seed is block.json's own field. */
    public static TwhinConfig fromMap(Map<String, Object> map, long seed) {
        ConfigMap m = ConfigMap.of(map, "twhin config");
        Map<Relation, Double> rw = new EnumMap<>(Relation.class);
        m.getMap("relation_weights").forEach((k, v) -> rw.put(Relation.of(k), ((Number) v).doubleValue()));
        return new TwhinConfig(m.getInt("dim"), m.getInt("epochs"), m.getInt("negatives"), m.getInt("chunk"),
                m.getDouble("learning_rate"), m.getInt("threads"), seed, m.getDouble("init_scale"),
                m.getEnum("weight_transform", WeightTransform.class), rw, m.getEnum("storage", Storage.class));
    }

    /** What a checkpoint must agree on to be resumed (not epochs, threads or storage). */
    String resumeKey() {
        Map<String, Object> m = toMap();
        m.remove("epochs");
        m.remove("threads");
        m.remove("storage");
        m.put("seed", seed);
        return m.toString();
    }
}
