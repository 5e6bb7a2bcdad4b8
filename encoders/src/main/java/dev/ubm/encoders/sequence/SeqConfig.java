package dev.ubm.encoders.sequence;

import dev.ubm.core.BadInputException;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Every knob of the sequence encoder in one immutable record, validated on construction. Model: width
 * {@code dim}, {@code layers}, {@code heads}, tokens per sequence {@code maxLen} (including the BOS and NOW
 * tokens); the shared hashed table has {@code hashBuckets} rows of {@code hashDim}. Training: epochs, batch,
 * AdamW, sampled-softmax settings ({@code temperature}, {@code uniformNegatives}, {@code maxRowsPerHead}), the
 * future window, and the weight of each objective (absent = off).
 *
 * @param historyLen events kept per client in the corpus (training samples random cutoffs inside it)
 * @param realCutoffProb share of training sequences that end at the real input cutoff (the rest end at a random
 *     midnight inside the history, so the NOW token learns what follows)
 * @param trainOnAll train on every client with events (else only the relevant clients)
 * @param trainClients clients per epoch: a fresh random sample of the training set each epoch (0 = all of them),
 *     so a world of millions of clients trains in a bounded time while every client can still be seen
 * @param timeBias a learned attention bias per head over log buckets of the time between query and key (HSTU's
 *     relative attention bias): lets the NOW token see how long ago each event was
 * @param clipNorm gradients are rescaled when their global L2 norm exceeds this (0 = never)
 * @param readout what the block holds per client ({@link Readout}); {@code --model-from} may encode with another
 *     readout than the model's
 */
public record SeqConfig(int dim, int layers, int heads, int ffnMult, float dropout, int maxLen, int historyLen,
        int hashBuckets, int hashDim, int epochs, int batchSize, float lr, float weightDecay, int warmupSteps,
        float temperature, int uniformNegatives, int maxRowsPerHead, int windowDays, float realCutoffProb,
        boolean trainOnAll, int trainClients, int inferBatch, boolean timeBias, float clipNorm,
        Map<Objective, Double> objectives, Readout readout) {

    /** What a client's vector is made of. */
    public enum Readout {
        /** The NOW token's output, L2-normalised ({@code dim} columns). */
        NOW("now"),
        /**
         * The NOW token's L2-normalised output followed by the targets head's probabilities at NOW (one per target
         * category, sku and price bucket), the whole row L2-normalised ({@code dim} + target labels columns); needs
         * the targets objective.
         */
        NOW_TARGETS("now+targets");

        private final String cliName;

        Readout(String cliName) {
            this.cliName = cliName;
        }

        public String cliName() {
            return cliName;
        }

        public static Readout parse(String s) {
            for (Readout r : values()) {
                if (r.cliName.equals(s)) {
                    return r;
                }
            }
            throw new BadInputException("seq config: unknown readout '" + s + "' (expected now or now+targets)");
        }
    }

    public SeqConfig {
        require(dim >= 8 && dim <= 4096, "dim must be in 8..4096, got " + dim);
        require(layers >= 0 && layers <= 48, "layers must be in 0..48, got " + layers);
        require(heads >= 1 && dim % heads == 0, "heads must divide dim (" + dim + "), got " + heads);
        require(ffnMult >= 1 && ffnMult <= 16, "ffn multiplier must be in 1..16, got " + ffnMult);
        require(dropout >= 0 && dropout < 1, "dropout must be in [0, 1), got " + dropout);
        require(maxLen >= 3 && maxLen <= 4096, "max length must be in 3..4096, got " + maxLen);
        require(historyLen >= maxLen - 2, "history length " + historyLen + " must be >= max length - 2");
        require(hashBuckets >= 1024, "hash buckets must be >= 1024, got " + hashBuckets);
        require(hashDim >= 2 && hashDim <= 1024, "hash dim must be in 2..1024, got " + hashDim);
        require(epochs >= 1, "epochs must be >= 1 (an untrained model is not a block), got " + epochs);
        require(batchSize >= 1, "batch size must be >= 1, got " + batchSize);
        require(lr > 0 && lr < 1, "learning rate must be in (0, 1), got " + lr);
        require(weightDecay >= 0, "weight decay must be >= 0");
        require(warmupSteps >= 0, "warm-up steps must be >= 0");
        require(temperature > 0, "temperature must be > 0");
        require(uniformNegatives >= 0, "uniform negatives must be >= 0");
        require(maxRowsPerHead >= 1, "max rows per head must be >= 1");
        require(windowDays >= 1, "window days must be >= 1");
        require(realCutoffProb >= 0 && realCutoffProb <= 1, "real cutoff probability must be in [0, 1]");
        require(trainClients >= 0, "train clients must be >= 0 (0 = all), got " + trainClients);
        require(inferBatch >= 1, "inference batch must be >= 1");
        require(clipNorm >= 0, "gradient clip norm must be >= 0");
        EnumMap<Objective, Double> o = new EnumMap<>(Objective.class);
        if (objectives != null) {
            for (Map.Entry<Objective, Double> e : objectives.entrySet()) {
                require(e.getValue() != null && e.getValue() >= 0 && Double.isFinite(e.getValue()),
                        "objective weight must be >= 0: " + e);
                if (e.getValue() > 0) {
                    o.put(e.getKey(), e.getValue());
                }
            }
        }
        require(!o.isEmpty(), "at least one objective must be on");
        objectives = Collections.unmodifiableMap(o);
        require(readout != null, "readout must be set");
        require(readout != Readout.NOW_TARGETS || o.containsKey(Objective.TARGETS),
                "readout now+targets needs the targets objective (add targets=W to --objectives)");
    }

    private static void require(boolean ok, String msg) {
        if (!ok) {
            throw new BadInputException("seq config: " + msg);
        }
    }

    /** The defaults: trains on the default world (50k clients, ~150 days) in a few minutes on 2 CPU cores. */
    public static SeqConfig defaults() {
        return new Builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    public boolean has(Objective o) {
        return objectives.containsKey(o);
    }

    public double weight(Objective o) {
        return objectives.getOrDefault(o, 0.0);
    }

    /**
     * Parses {@code next_item=1,future_window=1,next_type} (weight 1 when omitted) into weights; objectives not
     * named are off.
     */
    public static Map<Objective, Double> parseObjectives(String spec) {
        Map<Objective, Double> m = new EnumMap<>(Objective.class);
        for (String part : spec.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            String[] kv = part.split("=", 2);
            double w;
            try {
                w = kv.length == 2 ? Double.parseDouble(kv[1].trim()) : 1.0;
            } catch (NumberFormatException e) {
                throw new BadInputException("objective weight is not a number: '" + part + "'");
            }
            m.put(Objective.ofCliName(kv[0]), w);
        }
        return m;
    }

    /** The objectives as {@code name=weight,...} (the inverse of {@link #parseObjectives}). */
    public String objectivesSpec() {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<Objective, Double> e : objectives.entrySet()) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(e.getKey().cliName()).append('=').append(String.format(Locale.ROOT, "%g", e.getValue()));
        }
        return sb.toString();
    }

    /** Everything that shapes the trained model (for block.json and for checking a checkpoint still fits). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dim", dim);
        m.put("layers", layers);
        m.put("heads", heads);
        m.put("ffn_mult", ffnMult);
        m.put("dropout", (double) dropout);
        m.put("max_len", maxLen);
        m.put("history_len", historyLen);
        m.put("hash_buckets", hashBuckets);
        m.put("hash_dim", hashDim);
        m.put("epochs", epochs);
        m.put("batch_size", batchSize);
        m.put("lr", (double) lr);
        m.put("weight_decay", (double) weightDecay);
        m.put("warmup_steps", warmupSteps);
        m.put("temperature", (double) temperature);
        m.put("uniform_negatives", uniformNegatives);
        m.put("max_rows_per_head", maxRowsPerHead);
        m.put("window_days", windowDays);
        m.put("real_cutoff_prob", (double) realCutoffProb);
        m.put("train_on", trainOnAll ? "all" : "relevant");
        m.put("train_clients", trainClients);
        m.put("infer_batch", inferBatch);
        m.put("time_bias", timeBias);
        m.put("clip_norm", (double) clipNorm);
        m.put("objectives", objectivesSpec());
        if (readout != Readout.NOW) { // absent = now, so configs from before the readout option read the same
            m.put("readout", readout.cliName());
        }
        return m;
    }

    /**
     * The inverse of {@link #toMap}: a config from a map (block.json's config or a checkpoint's identity, which
     * omits {@code epochs} and {@code infer_batch}); keys absent from the map keep their defaults.
     */
    public static SeqConfig fromMap(Map<String, ?> m) {
        Builder b = new Builder();
        if (m.get("dim") instanceof Number v) {
            b.dim(v.intValue());
        }
        if (m.get("layers") instanceof Number v) {
            b.layers(v.intValue());
        }
        if (m.get("heads") instanceof Number v) {
            b.heads(v.intValue());
        }
        if (m.get("ffn_mult") instanceof Number v) {
            b.ffnMult(v.intValue());
        }
        if (m.get("dropout") instanceof Number v) {
            b.dropout(v.floatValue());
        }
        if (m.get("max_len") instanceof Number v) {
            b.maxLen(v.intValue());
        }
        if (m.get("history_len") instanceof Number v) {
            b.historyLen(v.intValue());
        }
        if (m.get("hash_buckets") instanceof Number v) {
            b.hashBuckets(v.intValue());
        }
        if (m.get("hash_dim") instanceof Number v) {
            b.hashDim(v.intValue());
        }
        if (m.get("epochs") instanceof Number v) {
            b.epochs(v.intValue());
        }
        if (m.get("batch_size") instanceof Number v) {
            b.batchSize(v.intValue());
        }
        if (m.get("lr") instanceof Number v) {
            b.lr(v.floatValue());
        }
        if (m.get("weight_decay") instanceof Number v) {
            b.weightDecay(v.floatValue());
        }
        if (m.get("warmup_steps") instanceof Number v) {
            b.warmupSteps(v.intValue());
        }
        if (m.get("temperature") instanceof Number v) {
            b.temperature(v.floatValue());
        }
        if (m.get("uniform_negatives") instanceof Number v) {
            b.uniformNegatives(v.intValue());
        }
        if (m.get("max_rows_per_head") instanceof Number v) {
            b.maxRowsPerHead(v.intValue());
        }
        if (m.get("window_days") instanceof Number v) {
            b.windowDays(v.intValue());
        }
        if (m.get("real_cutoff_prob") instanceof Number v) {
            b.realCutoffProb(v.floatValue());
        }
        if (m.get("train_on") instanceof String v) {
            b.trainOnAll(!"relevant".equals(v));
        }
        if (m.get("train_clients") instanceof Number v) {
            b.trainClients(v.intValue());
        }
        if (m.get("infer_batch") instanceof Number v) {
            b.inferBatch(v.intValue());
        }
        if (m.get("time_bias") instanceof Boolean v) {
            b.timeBias(v);
        }
        if (m.get("clip_norm") instanceof Number v) {
            b.clipNorm(v.floatValue());
        }
        if (m.get("objectives") instanceof String v) {
            b.objectives(parseObjectives(v));
        }
        if (m.get("readout") instanceof String v) {
            b.readout(Readout.parse(v));
        }
        return b.build();
    }

    /** Builder with the defaults; {@code build()} validates. */
    public static final class Builder {
        private int dim = 64;
        private int layers = 2;
        private int heads = 2;
        private int ffnMult = 4;
        private float dropout = 0.1f;
        private int maxLen = 64;
        private int historyLen = 128;
        private int hashBuckets = 1 << 16;
        private int hashDim = 32;
        private int epochs = 8;
        private int batchSize = 64;
        private float lr = 2e-3f;
        private float weightDecay = 0.01f;
        private int warmupSteps = 100;
        private float temperature = 0.05f;
        private int uniformNegatives = 512;
        private int maxRowsPerHead = 512;
        private int windowDays = 14;
        private float realCutoffProb = 0.25f;
        private boolean trainOnAll = true;
        private int trainClients;
        private int inferBatch = 256;
        private boolean timeBias = true;
        private float clipNorm = 1f;
        private Map<Objective, Double> objectives = defaultObjectives();
        private Readout readout = Readout.NOW;

        private Builder() {
        }

        private Builder(SeqConfig c) {
            dim = c.dim;
            layers = c.layers;
            heads = c.heads;
            ffnMult = c.ffnMult;
            dropout = c.dropout;
            maxLen = c.maxLen;
            historyLen = c.historyLen;
            hashBuckets = c.hashBuckets;
            hashDim = c.hashDim;
            epochs = c.epochs;
            batchSize = c.batchSize;
            lr = c.lr;
            weightDecay = c.weightDecay;
            warmupSteps = c.warmupSteps;
            temperature = c.temperature;
            uniformNegatives = c.uniformNegatives;
            maxRowsPerHead = c.maxRowsPerHead;
            windowDays = c.windowDays;
            realCutoffProb = c.realCutoffProb;
            trainOnAll = c.trainOnAll;
            trainClients = c.trainClients;
            inferBatch = c.inferBatch;
            timeBias = c.timeBias;
            clipNorm = c.clipNorm;
            objectives = new EnumMap<>(Objective.class);
            objectives.putAll(c.objectives);
            readout = c.readout;
        }

        static Map<Objective, Double> defaultObjectives() {
            Map<Objective, Double> m = new EnumMap<>(Objective.class);
            m.put(Objective.NEXT_ITEM, 1.0);
            m.put(Objective.FUTURE_WINDOW, 1.0);
            m.put(Objective.NEXT_TYPE, 0.3);
            m.put(Objective.TIME_GAP, 0.3);
            m.put(Objective.ACTIVITY, 1.0);
            m.put(Objective.VOLUME, 0.3);
            return m;
        }

        public Builder dim(int v) {
            dim = v;
            return this;
        }

        public Builder layers(int v) {
            layers = v;
            return this;
        }

        public Builder heads(int v) {
            heads = v;
            return this;
        }

        public Builder ffnMult(int v) {
            ffnMult = v;
            return this;
        }

        public Builder dropout(float v) {
            dropout = v;
            return this;
        }

        /** Also raises the history length to at least twice the max length. */
        public Builder maxLen(int v) {
            maxLen = v;
            historyLen = Math.max(historyLen, 2 * v);
            return this;
        }

        public Builder historyLen(int v) {
            historyLen = v;
            return this;
        }

        public Builder hashBuckets(int v) {
            hashBuckets = v;
            return this;
        }

        public Builder hashDim(int v) {
            hashDim = v;
            return this;
        }

        public Builder epochs(int v) {
            epochs = v;
            return this;
        }

        public Builder batchSize(int v) {
            batchSize = v;
            return this;
        }

        public Builder lr(float v) {
            lr = v;
            return this;
        }

        public Builder weightDecay(float v) {
            weightDecay = v;
            return this;
        }

        public Builder warmupSteps(int v) {
            warmupSteps = v;
            return this;
        }

        public Builder temperature(float v) {
            temperature = v;
            return this;
        }

        public Builder uniformNegatives(int v) {
            uniformNegatives = v;
            return this;
        }

        public Builder maxRowsPerHead(int v) {
            maxRowsPerHead = v;
            return this;
        }

        public Builder windowDays(int v) {
            windowDays = v;
            return this;
        }

        public Builder realCutoffProb(float v) {
            realCutoffProb = v;
            return this;
        }

        public Builder trainOnAll(boolean v) {
            trainOnAll = v;
            return this;
        }

        public Builder trainClients(int v) {
            trainClients = v;
            return this;
        }

        public Builder inferBatch(int v) {
            inferBatch = v;
            return this;
        }

        public Builder timeBias(boolean v) {
            timeBias = v;
            return this;
        }

        public Builder clipNorm(float v) {
            clipNorm = v;
            return this;
        }

        public Builder objectives(Map<Objective, Double> v) {
            objectives = new EnumMap<>(Objective.class);
            objectives.putAll(v);
            return this;
        }

        public Builder readout(Readout v) {
            readout = v;
            return this;
        }

        public SeqConfig build() {
            return new SeqConfig(dim, layers, heads, ffnMult, dropout, maxLen, historyLen, hashBuckets, hashDim,
                    epochs, batchSize, lr, weightDecay, warmupSteps, temperature, uniformNegatives, maxRowsPerHead,
                    windowDays, realCutoffProb, trainOnAll, trainClients, inferBatch, timeBias, clipNorm, objectives,
                    readout);
        }
    }
}
