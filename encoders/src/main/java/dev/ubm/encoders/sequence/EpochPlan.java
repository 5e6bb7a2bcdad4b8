package dev.ubm.encoders.sequence;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The examples of one training epoch, fixed by (seed, epoch) so a resumed run sees exactly the batches an
 * uninterrupted one would: every corpus client once (or, with {@code trainClients > 0}, that many of them, a fresh
 * random sample each epoch), in random order, each cut at the real input cutoff (with
 * probability {@code realCutoffProb}) or at a random midnight inside its history; grouped into batches of similar
 * length (sorted within chunks, then the batches shuffled) to waste little padding. A batch holds up to
 * {@code batchSize x maxLen} tokens: short sequences are packed more per batch (at most 8 x batchSize), so short
 * histories do not pay a full step's fixed cost each.
 */
final class EpochPlan {
    private static final long DAY = 86_400L;
    /** Short sequences are packed up to this many times batchSize per batch. */
    static final int MAX_PACKING = 8;
    final int[][] clients;
    final long[][] cutoffs;
    final long tokens;

    private EpochPlan(int[][] clients, long[][] cutoffs, long tokens) {
        this.clients = clients;
        this.cutoffs = cutoffs;
        this.tokens = tokens;
    }

    int batches() {
        return clients.length;
    }

    /** The random source of epoch {@code epoch} of a run seeded {@code seed}. */
    static SplittableRandom rng(long seed, int epoch) {
        return new SplittableRandom(ItemHashing.mix(seed * 0x9e3779b97f4a7c15L + epoch + 1));
    }

    static EpochPlan of(SeqCorpus corpus, BatchBuilder builder, SeqConfig cfg, SplittableRandom rng) {
        int n = corpus.clients();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        if (cfg.trainClients() > 0 && cfg.trainClients() < n) {
            n = cfg.trainClients(); // the first n of the shuffled order: a uniform sample without replacement
        }
        long real = corpus.cutoff();
        long[] cut = new long[n];
        int[] len = new int[n];
        long tokens = 0;
        for (int i = 0; i < n; i++) {
            int c = order[i];
            long firstMidnight = (Math.floorDiv(corpus.ts(corpus.start(c)), DAY) + 1) * DAY;
            long lastMidnight = real - DAY;
            long cutoff = real;
            if (rng.nextDouble() >= cfg.realCutoffProb() && firstMidnight <= lastMidnight) {
                long days = (lastMidnight - firstMidnight) / DAY + 1;
                cutoff = firstMidnight + rng.nextLong(days) * DAY;
            }
            cut[i] = cutoff;
            len[i] = builder.length(c, cutoff);
            tokens += len[i];
        }
        // token budget per batch: batchSize full-length sequences; shorter ones are packed more per batch
        long budget = (long) cfg.batchSize() * cfg.maxLen();
        int maxSeqs = cfg.batchSize() * MAX_PACKING;
        java.util.List<int[]> cl = new java.util.ArrayList<>();
        java.util.List<long[]> ct = new java.util.ArrayList<>();
        int chunk = cfg.batchSize() * 32;
        for (int from = 0; from < n; from += chunk) {
            int to = Math.min(n, from + chunk);
            Integer[] idx = new Integer[to - from];
            for (int i = from; i < to; i++) {
                idx[i - from] = i;
            }
            Arrays.sort(idx, (x, y) -> Integer.compare(len[x], len[y]));
            int s = 0;
            while (s < idx.length) {
                int e = s + 1;
                while (e < idx.length && e - s < maxSeqs && (long) (e - s + 1) * len[idx[e]] <= budget) {
                    e++;
                }
                int[] bc = new int[e - s];
                long[] bt = new long[e - s];
                for (int k = s; k < e; k++) {
                    bc[k - s] = order[idx[k]];
                    bt[k - s] = cut[idx[k]];
                }
                cl.add(bc);
                ct.add(bt);
                s = e;
            }
        }
        int nb = cl.size();
        int[][] clients = cl.toArray(new int[0][]);
        long[][] cutoffs = ct.toArray(new long[0][]);
        for (int i = nb - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int[] tc = clients[i];
            clients[i] = clients[j];
            clients[j] = tc;
            long[] tt = cutoffs[i];
            cutoffs[i] = cutoffs[j];
            cutoffs[j] = tt;
        }
        return new EpochPlan(clients, cutoffs, tokens);
    }
}
