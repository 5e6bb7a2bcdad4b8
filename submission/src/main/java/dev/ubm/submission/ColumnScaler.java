package dev.ubm.submission;

import java.util.Arrays;

/**
 * A fitted {@link Scaling}: per-column statistics (standard), per-column quantiles (quantile) or nothing (none, L2),
 * fitted on a sample of rows and applied row by row in place.
 */
final class ColumnScaler {
    private static final double BOUNDS = 1e-7;

    private final Scaling scaling;
    private final int cols;
    private final double clip;
    private double[] mean;
    private double[] invStd;
    private double[][] quantiles;
    private double[] references;

    private ColumnScaler(Scaling scaling, int cols, double clip) {
        this.scaling = scaling;
        this.cols = cols;
        this.clip = clip;
    }

    /** Fits on {@code rows} rows of {@code x} (row-major, {@code cols} wide). */
    static ColumnScaler fit(Scaling scaling, float[] x, int rows, int cols, int nQuantiles, double clip) {
        ColumnScaler s = new ColumnScaler(scaling, cols, clip);
        switch (scaling) {
            case STANDARD -> {
                s.mean = new double[cols];
                s.invStd = new double[cols];
                for (int j = 0; j < cols; j++) {
                    double sum = 0;
                    for (int r = 0; r < rows; r++) {
                        sum += x[r * cols + j];
                    }
                    double mu = rows == 0 ? 0 : sum / rows;
                    double ss = 0;
                    for (int r = 0; r < rows; r++) {
                        double d = x[r * cols + j] - mu;
                        ss += d * d;
                    }
                    double sd = rows == 0 ? 0 : Math.sqrt(ss / rows);
                    s.mean[j] = mu;
                    s.invStd[j] = sd > 1e-12 * Math.max(1, Math.abs(mu)) ? 1 / sd : 0;
                }
            }
            case QUANTILE -> {
                int nq = Math.max(2, Math.min(nQuantiles, Math.max(rows, 2)));
                s.references = new double[nq];
                for (int q = 0; q < nq; q++) {
                    s.references[q] = q / (double) (nq - 1);
                }
                s.quantiles = new double[cols][];
                double[] col = new double[rows];
                for (int j = 0; j < cols; j++) {
                    for (int r = 0; r < rows; r++) {
                        col[r] = x[r * cols + j];
                    }
                    Arrays.sort(col);
                    double[] qs = new double[nq];
                    for (int q = 0; q < nq; q++) {
                        qs[q] = rows == 0 ? 0 : percentile(col, s.references[q]);
                    }
                    // numpy's percentile can be off by an ulp; keep the knots monotone as sklearn does
                    for (int q = 1; q < nq; q++) {
                        qs[q] = Math.max(qs[q], qs[q - 1]);
                    }
                    s.quantiles[j] = qs;
                }
            }
            case NONE, L2 -> {
                // nothing to fit
            }
            default -> throw new IllegalStateException(scaling.toString());
        }
        return s;
    }

    /** numpy's percentile with linear interpolation, p in [0, 1], over sorted values. */
    static double percentile(double[] sorted, double p) {
        double pos = p * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(sorted.length - 1, lo + 1);
        double f = pos - lo;
        return sorted[lo] + (sorted[hi] - sorted[lo]) * f;
    }

    /** Scales one row in place. */
    void transform(float[] row) {
        switch (scaling) {
            case NONE -> {
                // raw
            }
            case STANDARD -> {
                for (int j = 0; j < cols; j++) {
                    double z = (row[j] - mean[j]) * invStd[j];
                    if (clip > 0) {
                        z = Math.max(-clip, Math.min(clip, z));
                    }
                    row[j] = (float) z;
                }
            }
            case QUANTILE -> {
                for (int j = 0; j < cols; j++) {
                    row[j] = (float) cdf(quantiles[j], references, row[j]);
                }
            }
            case L2 -> l2(row, cols);
            default -> throw new IllegalStateException(scaling.toString());
        }
    }

    /** Row to norm sqrt(n): unit mean square per column, on the scale of standardised columns. */
    static void l2(float[] row, int n) {
        double ss = 0;
        for (int j = 0; j < n; j++) {
            ss += (double) row[j] * row[j];
        }
        if (ss > 0) {
            double inv = Math.sqrt(n / ss);
            for (int j = 0; j < n; j++) {
                row[j] = (float) (row[j] * inv);
            }
        }
    }

    /**
     * sklearn's QuantileTransformer (uniform output) for one value: 0 at or below the lowest quantile, 1 at or above
     * the highest, the mean of the forward and backward interpolations in between (ties land on their mid-rank).
     */
    static double cdf(double[] q, double[] ref, double x) {
        int n = q.length;
        if (x - BOUNDS < q[0]) {
            return 0;
        }
        if (x + BOUNDS > q[n - 1]) {
            return 1;
        }
        int lo = lowerBound(q, x);
        int hi = upperBound(q, x) - 1;
        if (lo <= hi) {
            return 0.5 * (ref[lo] + ref[hi]);
        }
        int j = hi;
        return ref[j] + (x - q[j]) * (ref[j + 1] - ref[j]) / (q[j + 1] - q[j]);
    }

    private static int lowerBound(double[] a, double x) {
        int lo = 0;
        int hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] < x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static int upperBound(double[] a, double x) {
        int lo = 0;
        int hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] <= x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
