package dev.ubm.encoders.dcn;

/**
 * Column scaling fitted on the training rows and applied to every input: numeric features go through a signed
 * log1p (counts are heavy-tailed; monotone, so quantile bins are unchanged) and a z-score; sequence dimensions
 * through a z-score. Scaled values are clipped to ±{@link #CLIP}: a rare binary feature has z-scores of 30 and
 * more, and three cross layers multiply such values into exploding logits. Non-finite values become 0.
 */
public final class Preprocessor {
    /** Scaled values are clipped to [−CLIP, CLIP]. */
    public static final double CLIP = 5.0;

    private final boolean log;
    private final double[] mean;
    private final double[] std;

    private Preprocessor(boolean log, double[] mean, double[] std) {
        this.log = log;
        this.mean = mean;
        this.std = std;
    }

    /** Fits on a rows × cols matrix; {@code log} turns the signed log1p on. */
    public static Preprocessor fit(float[] x, int rows, int cols, boolean log) {
        double[] mean = new double[cols];
        double[] sq = new double[cols];
        int[] n = new int[cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                double v = pre(x[i * cols + j], log);
                if (Double.isFinite(v)) {
                    mean[j] += v;
                    sq[j] += v * v;
                    n[j]++;
                }
            }
        }
        double[] std = new double[cols];
        for (int j = 0; j < cols; j++) {
            if (n[j] == 0) {
                std[j] = 1;
                continue;
            }
            mean[j] /= n[j];
            double var = sq[j] / n[j] - mean[j] * mean[j];
            std[j] = var > 1e-12 ? Math.sqrt(var) : 1;
        }
        return new Preprocessor(log, mean, std);
    }

    private static double pre(float v, boolean log) {
        return log ? Math.signum(v) * Math.log1p(Math.abs(v)) : v;
    }

    /** A scaled copy of a rows × cols matrix. */
    public float[] apply(float[] x, int rows, int cols) {
        return applyInPlace(x.clone(), rows, cols);
    }

    /**
     * Scales a rows × cols matrix where it lies and returns it (at the challenge's size a copy of the DCN's feature
     * rows is 2.2 GB).
     */
    public float[] applyInPlace(float[] x, int rows, int cols) {
        if (cols != mean.length) {
            throw new IllegalArgumentException("fitted on " + mean.length + " columns, got " + cols);
        }
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                double v = (pre(x[i * cols + j], log) - mean[j]) / std[j];
                x[i * cols + j] = Double.isFinite(v) ? (float) Math.max(-CLIP, Math.min(CLIP, v)) : 0f;
            }
        }
        return x;
    }
}
