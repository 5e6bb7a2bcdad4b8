package dev.ubm.probes.metrics;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * The organisers' validation metrics, computed as their {@code training_pipeline} computes them (torchmetrics
 * AUROC, their Diversity and Novelty, float32 state accumulated over validation batches of 128), so ubm's scores
 * are the leaderboard's scores. Inputs are raw logits, row-major {@code rows x labels}, and 0/1 labels.
 *
 * <ul>
 *   <li>AUROC: torchmetrics applies a float32 sigmoid unless every prediction already lies in [0,1]; ties get half
 *       credit (the trapezoid over distinct thresholds). A label with no positive or no negative scores 0; the
 *       multilabel score is the macro mean over all labels.</li>
 *   <li>Diversity: mean entropy (base 2, epsilon 1e-9) of the per-client sigmoid predictions normalised to sum
 *       1, divided by log2(labels).</li>
 *   <li>Novelty: (1 - P)^100, P the mean over clients of the top-10 sigmoid predictions times the popularity
 *       normalised by the sum of the 10 largest popularities; top-10 ties broken as torch.topk does
 *       ({@link TopK}).</li>
 * </ul>
 */
public final class Metrics {
    /** The organisers' validation batch size: their float32 metric state is updated once per batch. */
    public static final int BATCH = 128;
    /** Top-k of the novelty metric. */
    public static final int NOVELTY_K = 10;
    private static final float EPS = 1e-9f;

    private Metrics() {
    }

    /** Sigmoid as torch computes it on CPU for float32: 1 / (1 + exp(-x)), each step rounded to float. */
    public static float sigmoid(float x) {
        float e = (float) Math.exp(-(double) x);
        float d = 1f + e;
        return 1f / d;
    }

    // ------------------------------------------------------------------ task scores

    /** Churn / conversion: the binary AUROC (the weighted score is the AUROC itself). */
    public static TaskScore binary(float[] logits, byte[] labels) {
        return TaskScore.binary(binaryAuroc(logits, labels));
    }

    /** A propensity task: macro AUROC, diversity and novelty; score = 0.8 AUROC + 0.1 novelty + 0.1 diversity. */
    public static TaskScore propensity(float[] logits, byte[] labels, int rows, int width, long[] popularity) {
        return TaskScore.propensity(multilabelAuroc(logits, labels, rows, width), diversity(logits, rows, width),
                novelty(logits, rows, width, popularity));
    }

    /** Rounds as the organisers' {@code round(x, 4)} does (Python rounds the exact binary value, half to even). */
    public static double round4(double x) {
        if (!Double.isFinite(x)) {
            return x;
        }
        return new BigDecimal(x).setScale(4, RoundingMode.HALF_EVEN).doubleValue();
    }

    // ------------------------------------------------------------------ AUROC

    /** torchmetrics binary AUROC of logits (or probabilities in [0,1]) against 0/1 labels. */
    public static double binaryAuroc(float[] preds, byte[] labels) {
        if (preds.length != labels.length) {
            throw new IllegalArgumentException(preds.length + " predictions vs " + labels.length + " labels");
        }
        boolean sig = needsSigmoid(preds);
        long[] keys = new long[preds.length];
        for (int i = 0; i < preds.length; i++) {
            keys[i] = key(sig ? sigmoid(preds[i]) : preds[i], labels[i]);
        }
        return aucOfKeys(keys);
    }

    /** torchmetrics multilabel AUROC, macro average over all labels (0 for a label with no positive). */
    public static double multilabelAuroc(float[] preds, byte[] labels, int rows, int width) {
        check(preds, rows, width);
        if (labels.length != preds.length) {
            throw new IllegalArgumentException(preds.length + " predictions vs " + labels.length + " labels");
        }
        return Arrays.stream(perLabelAuroc(preds, labels, rows, width)).sum() / width;
    }

    /** The AUROC of every label (0 where a label has no positive or no negative). */
    public static double[] perLabelAuroc(float[] preds, byte[] labels, int rows, int width) {
        boolean sig = needsSigmoid(preds);
        double[] out = new double[width];
        IntStream.range(0, width).parallel().forEach(j -> {
            long[] keys = new long[rows];
            for (int i = 0; i < rows; i++) {
                int at = i * width + j;
                keys[i] = key(sig ? sigmoid(preds[at]) : preds[at], labels[at]);
            }
            out[j] = aucOfKeys(keys);
        });
        return out;
    }

    /** torchmetrics applies a sigmoid unless every prediction is within [0,1] (NaN counts as outside). */
    static boolean needsSigmoid(float[] preds) {
        for (float p : preds) {
            if (!(p >= 0f && p <= 1f)) {
                return true;
            }
        }
        return false;
    }

    /** Sort key: the bits of a value in [0,1] (order-preserving there; -0 folded into +0; NaN above all) then the label. */
    private static long key(float p, byte label) {
        int bits = p == 0f ? 0 : Float.floatToIntBits(p);
        return ((long) bits << 1) | (label != 0 ? 1L : 0L);
    }

    /** Mann-Whitney AUC with half credit for ties, equal to torchmetrics' trapezoid over distinct thresholds. */
    private static double aucOfKeys(long[] keys) {
        Arrays.sort(keys);
        long pos = 0;
        long neg = 0;
        double num = 0;
        int i = 0;
        while (i < keys.length) {
            long v = keys[i] >> 1;
            long gp = 0;
            long gn = 0;
            while (i < keys.length && (keys[i] >> 1) == v) {
                if ((keys[i] & 1L) != 0) {
                    gp++;
                } else {
                    gn++;
                }
                i++;
            }
            num += gp * (double) neg + 0.5 * gp * (double) gn;
            pos += gp;
            neg += gn;
        }
        if (pos == 0 || neg == 0) {
            return 0.0;
        }
        return num / ((double) pos * (double) neg);
    }

    // ------------------------------------------------------------------ diversity and novelty

    /** The organisers' Diversity, float32 state updated per batch of {@link #BATCH} rows. */
    public static double diversity(float[] logits, int rows, int width) {
        check(logits, rows, width);
        float sum = 0f;
        float count = 0f;
        float[] q = new float[width];
        for (int b = 0; b < rows; b += BATCH) {
            int end = Math.min(rows, b + BATCH);
            double batch = 0;
            for (int i = b; i < end; i++) {
                double rowSum = 0;
                for (int j = 0; j < width; j++) {
                    q[j] = sigmoid(logits[i * width + j]);
                    rowSum += q[j];
                }
                float s = (float) rowSum;
                for (int j = 0; j < width; j++) {
                    float qq = q[j] / s;
                    float lg = (float) (Math.log((double) (qq + EPS)) / Math.log(2.0));
                    batch += (double) (qq * lg);
                }
            }
            sum = (float) ((double) sum - (float) batch);
            count += end - b;
        }
        float den = (count + EPS) * (float) (Math.log(width) / Math.log(2.0));
        return sum / den;
    }

    /** The organisers' Novelty, float32 state updated per batch of {@link #BATCH} rows. */
    public static double novelty(float[] logits, int rows, int width, long[] popularity) {
        check(logits, rows, width);
        if (popularity.length < width) {
            throw new IllegalArgumentException("popularity has " + popularity.length + " entries for " + width
                    + " labels");
        }
        int k = Math.min(NOVELTY_K, popularity.length);
        long[] sorted = popularity.clone();
        Arrays.sort(sorted);
        long max = 0;
        for (int i = sorted.length - k; i < sorted.length; i++) {
            max += sorted[i];
        }
        double[] pop = new double[popularity.length];
        for (int i = 0; i < pop.length; i++) {
            pop[i] = popularity[i] / (double) max;
        }
        float[] p = new float[width];
        int[] top = new int[k];
        float sum = 0f;
        float count = 0f;
        for (int b = 0; b < rows; b += BATCH) {
            int end = Math.min(rows, b + BATCH);
            double batch = 0;
            for (int i = b; i < end; i++) {
                for (int j = 0; j < width; j++) {
                    p[j] = sigmoid(logits[i * width + j]);
                }
                TopK.select(p, 0, width, k, top);
                for (int t = 0; t < k; t++) {
                    batch += (double) p[top[t]] * pop[top[t]];
                }
            }
            sum = (float) ((double) sum + batch);
            count += end - b;
        }
        float mean = sum / (count + EPS);
        float base = 1f - mean;
        return (float) Math.pow(base, 100);
    }

    private static void check(float[] a, int rows, int width) {
        if ((long) rows * width != a.length) {
            throw new IllegalArgumentException(a.length + " values are not " + rows + " x " + width);
        }
    }
}
