package dev.ubm.data.synth;

import dev.ubm.core.BadInputException;
import dev.ubm.core.ChallengeDataDir;
import dev.ubm.core.Json;
import dev.ubm.core.Task;
import dev.ubm.data.Npy;
import dev.ubm.data.SplitWindows;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The synthetic world's oracle: each relevant client's probability of every task label in the validation window,
 * from the simulator's own intensities. It simulates the client again from the world's config (oracle.json) up to
 * the validation window, then along each of the K futures (the same draws as oracle/futures.parquet) integrates
 * the hazard of buying the label ({@link Intensity}); the probability is the mean over the draws of
 * 1 − exp(−hazard). It knows the hidden traits and state, so it is a ceiling on every task, rare labels included
 * (no ties at 0), and it is calibrated against the realised labels (one more draw from the same state).
 */
public final class Oracle {
    private final SynthConfig config;
    private final LocalDateTime validationStart;
    private final LocalDateTime validationEnd;
    private final long[] relevantSorted;
    private final Map<Long, Float> noBuy = new HashMap<>();

    private Oracle(SynthConfig config, LocalDateTime validationStart, LocalDateTime validationEnd,
            long[] relevantSorted) {
        this.config = config;
        this.validationStart = validationStart;
        this.validationEnd = validationEnd;
        this.relevantSorted = relevantSorted;
    }

    /** Opens the oracle of a synthetic data dir; throws {@link BadInputException} when the dir has none. */
    @SuppressWarnings("unchecked")
    public static Oracle open(Path dataDir) {
        ChallengeDataDir dir = ChallengeDataDir.open(dataDir);
        Path json = dir.oracleDir().resolve(SyntheticWorld.ORACLE_FILE);
        Path fut = dir.oracleDir().resolve(SyntheticWorld.FUTURES_FILE);
        if (!Files.isRegularFile(json) || !Files.isRegularFile(fut)) {
            throw new BadInputException(dir.root() + " has no oracle (expected " + json + " and " + fut
                    + "; only worlds written by 'ubm synth' have one)");
        }
        Map<String, Object> m;
        try {
            m = Json.parseObject(Files.readString(json));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + json, e);
        }
        Object generator = m.get("generator");
        if (generator != null && !SyntheticWorld.GENERATOR.equals(generator)) {
            throw new BadInputException(json + ": written by generator '" + generator + "', this ubm is '"
                    + SyntheticWorld.GENERATOR + "'; regenerate the world with 'ubm synth'");
        }
        if (!(m.get("config") instanceof Map<?, ?> config)) {
            throw new BadInputException(json + ": no 'config' object");
        }
        long[] rel = Npy.readLongs(dir.relevantClientsFile());
        Arrays.sort(rel);
        return new Oracle(SynthConfig.fromMap((Map<String, Object>) config),
                LocalDateTime.parse((String) m.get("validation_start"), SplitWindows.TIMESTAMP),
                LocalDateTime.parse((String) m.get("validation_end"), SplitWindows.TIMESTAMP), rel);
    }

    /** K, the number of simulated futures behind each probability. */
    public int draws() {
        return config.oracleDraws();
    }

    /** The config the world was generated from (profile included). */
    public SynthConfig config() {
        return config;
    }

    public LocalDateTime validationStart() {
        return validationStart;
    }

    /** Last second of the validation window (the last simulated day). */
    public LocalDateTime validationEnd() {
        return validationEnd;
    }

    /**
     * Per task: binary tasks (churn, conversion) give an n×1 matrix of P(label = 1) = P(no buy in the window);
     * propensity tasks give n×|targets| probabilities that the client buys something whose {@link Task#targetColumn}
     * is that target.
     */
    public float[][] probabilities(Task task, long[] clientIds, long[] targets) {
        if (task.isBinary()) {
            float[] p = noBuyProbability(clientIds);
            float[][] out = new float[p.length][];
            for (int i = 0; i < p.length; i++) {
                out[i] = new float[] {p[i]};
            }
            return out;
        }
        return labelProbabilities(clientIds, task.targetColumn(), targets);
    }

    /**
     * P(no product_buy in the validation window) per client (the churn and conversion label). Computed once per
     * client and kept (churn asks again for the active clients of conversion's).
     */
    public float[] noBuyProbability(long[] clientIds) {
        requireRelevant(clientIds);
        long[] missing = Arrays.stream(clientIds).filter(id -> !noBuy.containsKey(id)).distinct().toArray();
        if (missing.length > 0) {
            Catalog cat = new Catalog(config);
            float[][] p = compute(cat, missing, Intensity.anyBuy(cat), 1);
            for (int i = 0; i < missing.length; i++) {
                noBuy.put(missing[i], 1f - p[i][0]);
            }
        }
        float[] out = new float[clientIds.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = noBuy.get(clientIds[i]);
        }
        return out;
    }

    /**
     * P(the client buys at least one product whose {@code targetColumn} (sku, category or price) equals
     * targets[j]) for every client i and target j. A target no sku of the catalog has gets 0.
     */
    public float[][] labelProbabilities(long[] clientIds, String targetColumn, long[] targets) {
        if (!targetColumn.equals("sku") && !targetColumn.equals("category") && !targetColumn.equals("price")) {
            throw new BadInputException("oracle: target column must be sku, category or price, not '"
                    + targetColumn + "'");
        }
        requireRelevant(clientIds);
        Catalog cat = new Catalog(config);
        Map<Long, Integer> index = new HashMap<>();
        for (int j = 0; j < targets.length; j++) {
            index.putIfAbsent(targets[j], j);
        }
        int[] skuLabel = new int[cat.nSku];
        for (int s = 0; s < cat.nSku; s++) {
            long key = switch (targetColumn) {
                case "sku" -> cat.skuId[s];
                case "category" -> cat.catId[cat.skuCat[s]];
                default -> cat.skuBucket[s];
            };
            skuLabel[s] = index.getOrDefault(key, -1);
        }
        float[][] p = compute(cat, clientIds, skuLabel, targets.length);
        // a target listed twice gets the first one's probabilities
        for (int j = 0; j < targets.length; j++) {
            int first = index.get(targets[j]);
            if (first != j) {
                for (float[] row : p) {
                    row[j] = row[first];
                }
            }
        }
        return p;
    }

    /** Simulates each client's history and K futures again, integrating the intensities of the labels. */
    private float[][] compute(Catalog cat, long[] clientIds, int[] skuLabel, int nLabels) {
        long[] ids = SyntheticWorld.clientIds(config);
        int n = clientIds.length;
        float[][] out = new float[n][];
        int valDay = config.validationStartDay();
        ThreadLocal<Simulator> sims = ThreadLocal.withInitial(() -> new Simulator(cat, config));
        ThreadLocal<Intensity> intensities = ThreadLocal.withInitial(() -> new Intensity(cat, sims.get(), skuLabel,
                nLabels, valDay, config.days()));
        int block = 64;
        SyntheticWorld.inOrder((n + block - 1) / block, b -> {
            Simulator sim = sims.get();
            Intensity in = intensities.get();
            // the history draws query codes as generation did (wantsQueries), or its random streams would differ
            Simulator.Sink sink = new Simulator.Sink() { };
            for (int q = b * block; q < Math.min(n, (b + 1) * block); q++) {
                int i = Arrays.binarySearch(ids, clientIds[q]);
                Client c = Client.draw(cat, config, i);
                sim.run(c, 0, valDay, Rand.stream(config.seed(), i, Rand.HISTORY), sink);
                in.beginClient(c);
                for (int draw = 1; draw <= config.oracleDraws(); draw++) {
                    in.beginPath();
                    sim.run(c.copy(), valDay, config.days(), Rand.stream(config.seed(), i, Rand.FUTURE + draw), in);
                    in.endPath();
                }
                float[] row = new float[nLabels];
                for (int l = 0; l < nLabels; l++) {
                    row[l] = (float) in.probability(l);
                }
                out[q] = row;
            }
            return 0;
        }, x -> {
        });
        return out;
    }

    private void requireRelevant(long[] ids) {
        int missing = 0;
        long example = 0;
        for (long id : ids) {
            if (Arrays.binarySearch(relevantSorted, id) < 0) {
                if (missing++ == 0) {
                    example = id;
                }
            }
        }
        if (missing > 0) {
            throw new BadInputException("oracle: " + missing + " of " + ids.length + " client ids are not relevant "
                    + "clients of this world (e.g. " + example + "); the oracle simulated futures for relevant "
                    + "clients only");
        }
    }

    /** Binary AUROC (Mann-Whitney with average ranks for ties); NaN when a class is missing. */
    public static double auroc(float[] score, boolean[] positive) {
        int n = score.length;
        Integer[] idx = new Integer[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (a, b) -> Float.compare(score[a], score[b]));
        double rankSumPos = 0;
        long nPos = 0;
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && score[idx[j + 1]] == score[idx[i]]) {
                j++;
            }
            double avgRank = (i + j) / 2.0 + 1;
            for (int t = i; t <= j; t++) {
                if (positive[idx[t]]) {
                    rankSumPos += avgRank;
                    nPos++;
                }
            }
            i = j + 1;
        }
        long nNeg = n - nPos;
        if (nPos == 0 || nNeg == 0) {
            return Double.NaN;
        }
        return (rankSumPos - nPos * (nPos + 1) / 2.0) / ((double) nPos * nNeg);
    }
}
