package dev.ubm.encoders.sequence;

import java.util.SplittableRandom;

/**
 * The Java side of sampled softmax with logQ correction and mixed negatives. A batch's candidate columns are the
 * distinct positive items of its rows (in-batch negatives for every other row) plus {@code uniform} items drawn
 * uniformly from the vocabulary, deduplicated, so no row ever meets its own positive as a negative. Each column's
 * logit is corrected by {@code -log Q(j)}, where Q(j) is the probability that item j is among the candidates:
 * {@code Q(j) = 1 - (1 - p_j)^P (1 - 1/V)^U} with p_j the item's target frequency, P the positive rows and V the
 * vocabulary size. For small probabilities this is {@code P p_j + U / V}, the usual mixed-negatives correction;
 * the positive's own column is corrected the same way (Yi et al. 2019).
 */
final class SampledSoftmax {
    private SampledSoftmax() {
    }

    /** Columns (vocabulary indices), each row's label (column index) and each column's log Q. */
    record Candidates(int[] columns, int[] labels, float[] logQ) {
    }

    /**
     * log Q(j) for an item of target frequency {@code p} among candidates made of {@code rows} positive draws and
     * {@code uniform} uniform draws from {@code vocab} items.
     */
    static double logInclusion(double p, int rows, int uniform, int vocab) {
        double logMiss = rows * Math.log1p(-Math.min(p, 1 - 1e-12)) + uniform * Math.log1p(-1.0 / vocab);
        double q = -Math.expm1(logMiss);
        return Math.log(Math.max(q, 1e-30));
    }

    /** Builds the candidates for positives given as vocabulary indices (one per row). */
    static Candidates build(int[] positives, ItemVocab vocab, int uniform, SplittableRandom rng) {
        LongIntMap colOf = new LongIntMap(positives.length + uniform);
        int[] cols = new int[positives.length + uniform];
        int[] labels = new int[positives.length];
        for (int r = 0; r < positives.length; r++) {
            int c = colOf.putIfAbsent(positives[r]);
            cols[c] = positives[r];
            labels[r] = c;
        }
        int u = Math.min(uniform, vocab.size());
        for (int i = 0; i < u; i++) {
            int v = vocab.sample(rng);
            int before = colOf.size();
            int c = colOf.putIfAbsent(v);
            if (c == before) {
                cols[c] = v;
            }
        }
        int n = colOf.size();
        int[] columns = java.util.Arrays.copyOf(cols, n);
        float[] logQ = new float[n];
        for (int c = 0; c < n; c++) {
            logQ[c] = (float) logInclusion(vocab.frequency(columns[c]), positives.length, u, vocab.size());
        }
        return new Candidates(columns, labels, logQ);
    }

    /**
     * The loss of one row in plain Java (reference for tests): {@code -log softmax(s / tau - logQ)[label]}.
     */
    static double rowLoss(double[] scores, float[] logQ, int label, double temperature) {
        double max = Double.NEGATIVE_INFINITY;
        double[] z = new double[scores.length];
        for (int j = 0; j < z.length; j++) {
            z[j] = scores[j] / temperature - logQ[j];
            max = Math.max(max, z[j]);
        }
        double sum = 0;
        for (double v : z) {
            sum += Math.exp(v - max);
        }
        return -(z[label] - max - Math.log(sum));
    }
}
