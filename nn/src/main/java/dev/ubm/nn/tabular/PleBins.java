package dev.ubm.nn.tabular;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.TreeSet;

/**
 * Bin edges b₀ &lt; … &lt; b_T per numeric feature for the piecewise-linear encoding (Gorishniy et al. 2022), and the
 * encoding itself as a plain-Java reference. Edges come from quantiles (the unique values of the quantiles at
 * linspace(0, 1, T+1)) or, target-aware, from the split thresholds of a best-first regression tree on (x, y).
 * A feature with a single distinct value gets edges {v, v + 1} (one bin: plain shifted scaling).
 */
public final class PleBins {
    /** How the edges are chosen. */
    public enum Method {
        /** Unique quantiles at linspace(0, 1, T + 1) (the rtdl default). */
        QUANTILE,
        /** Split thresholds of a best-first regression tree with at most T leaves fitted on (x, y). */
        TREE
    }

    /** Most values used to estimate one feature's quantiles (a seeded subsample above this). */
    public static final int MAX_SAMPLE = 200_000;

    private final double[][] edges;

    private PleBins(double[][] edges) {
        this.edges = edges;
    }

    /** Wraps given edges (each row strictly increasing, length ≥ 2). */
    public static PleBins of(double[][] edges) {
        double[][] copy = new double[edges.length][];
        for (int j = 0; j < edges.length; j++) {
            double[] e = edges[j];
            if (e.length < 2) {
                throw new IllegalArgumentException("feature " + j + " needs at least 2 edges, got " + e.length);
            }
            for (int t = 1; t < e.length; t++) {
                if (!(e[t] > e[t - 1])) {
                    throw new IllegalArgumentException("edges of feature " + j + " are not strictly increasing at "
                            + t + ": " + Arrays.toString(e));
                }
            }
            copy[j] = e.clone();
        }
        return new PleBins(copy);
    }

    /**
     * Quantile bins for each column of a row-major matrix {@code x} (rows × cols).
     *
     * @param nBins T, the most bins per feature (fewer when quantiles coincide)
     */
    public static PleBins quantile(float[] x, int rows, int cols, int nBins, long seed) {
        checkArgs(x, rows, cols, nBins);
        double[][] out = new double[cols][];
        int[] sample = sampleRows(rows, seed);
        double[] v = new double[sample.length];
        for (int j = 0; j < cols; j++) {
            for (int i = 0; i < sample.length; i++) {
                v[i] = x[sample[i] * cols + j];
            }
            out[j] = quantileEdges(v, nBins);
        }
        return new PleBins(out);
    }

    /** The unique quantiles (linear interpolation, as torch.quantile) of {@code values} at linspace(0, 1, T + 1). */
    public static double[] quantileEdges(double[] values, int nBins) {
        double[] s = values.clone();
        Arrays.sort(s);
        TreeSet<Double> uniq = new TreeSet<>();
        for (int t = 0; t <= nBins; t++) {
            double q = (double) t / nBins;
            double pos = q * (s.length - 1);
            int lo = (int) Math.floor(pos);
            int hi = Math.min(s.length - 1, lo + 1);
            double frac = pos - lo;
            uniq.add(s[lo] + (s[hi] - s[lo]) * frac);
        }
        return finish(uniq, s[0], s[s.length - 1]);
    }

    /**
     * Target-aware bins: for each column, the thresholds of a best-first regression tree on (x_j, y) with at most
     * {@code nBins} leaves, at least {@code minSamplesLeaf} rows per leaf and a weighted impurity decrease of at
     * least {@code minImpurityDecrease} per split (sklearn's semantics), plus the column's min and max.
     */
    public static PleBins tree(float[] x, int rows, int cols, float[] y, int nBins, int minSamplesLeaf,
            double minImpurityDecrease, long seed) {
        checkArgs(x, rows, cols, nBins);
        if (y.length != rows) {
            throw new IllegalArgumentException("y has " + y.length + " values for " + rows + " rows");
        }
        int[] sample = sampleRows(rows, seed);
        double[][] out = new double[cols][];
        double[] xv = new double[sample.length];
        double[] yv = new double[sample.length];
        for (int i = 0; i < sample.length; i++) {
            yv[i] = y[sample[i]];
        }
        for (int j = 0; j < cols; j++) {
            for (int i = 0; i < sample.length; i++) {
                xv[i] = x[sample[i] * cols + j];
            }
            out[j] = treeEdges(xv, yv, nBins, minSamplesLeaf, minImpurityDecrease);
        }
        return new PleBins(out);
    }

    /** Tree edges of one feature; see {@link #tree}. */
    public static double[] treeEdges(double[] x, double[] y, int maxLeaves, int minSamplesLeaf,
            double minImpurityDecrease) {
        int n = x.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(x[a], x[b]));
        double[] xs = new double[n];
        double[] ys = new double[n];
        for (int i = 0; i < n; i++) {
            xs[i] = x[order[i]];
            ys[i] = y[order[i]];
        }
        double[] sum = new double[n + 1];
        double[] sq = new double[n + 1];
        for (int i = 0; i < n; i++) {
            sum[i + 1] = sum[i] + ys[i];
            sq[i + 1] = sq[i] + ys[i] * ys[i];
        }
        TreeSet<Double> thresholds = new TreeSet<>();
        PriorityQueue<Split> queue = new PriorityQueue<>((a, b) -> Double.compare(b.gain, a.gain));
        Split first = bestSplit(xs, sum, sq, 0, n, n, minSamplesLeaf);
        if (first != null) {
            queue.add(first);
        }
        int leaves = 1;
        while (!queue.isEmpty() && leaves < maxLeaves) {
            Split s = queue.poll();
            if (s.gain < minImpurityDecrease) {
                break;
            }
            thresholds.add(s.threshold);
            leaves++;
            Split l = bestSplit(xs, sum, sq, s.from, s.at, n, minSamplesLeaf);
            Split r = bestSplit(xs, sum, sq, s.at, s.to, n, minSamplesLeaf);
            if (l != null) {
                queue.add(l);
            }
            if (r != null) {
                queue.add(r);
            }
        }
        thresholds.add(xs[0]);
        thresholds.add(xs[n - 1]);
        return finish(thresholds, xs[0], xs[n - 1]);
    }

    private record Split(int from, int at, int to, double threshold, double gain) {
    }

    /** Best split of sorted rows [from, to) into [from, at) and [at, to); gain weighted by (to − from) / n. */
    private static Split bestSplit(double[] xs, double[] sum, double[] sq, int from, int to, int n,
            int minSamplesLeaf) {
        int m = to - from;
        if (m < 2 * minSamplesLeaf) {
            return null;
        }
        double parent = sse(sum, sq, from, to);
        Split best = null;
        for (int at = from + minSamplesLeaf; at <= to - minSamplesLeaf; at++) {
            if (xs[at] == xs[at - 1]) {
                continue;
            }
            double child = sse(sum, sq, from, at) + sse(sum, sq, at, to);
            double gain = (parent - child) / n;
            if (best == null || gain > best.gain) {
                best = new Split(from, at, to, (xs[at - 1] + xs[at]) / 2, gain);
            }
        }
        return best;
    }

    private static double sse(double[] sum, double[] sq, int from, int to) {
        double s = sum[to] - sum[from];
        return Math.max(0, (sq[to] - sq[from]) - s * s / (to - from));
    }

    private static double[] finish(TreeSet<Double> uniq, double min, double max) {
        List<Double> e = new ArrayList<>(uniq);
        if (e.size() < 2) {
            double v = e.isEmpty() ? 0 : e.get(0);
            return new double[] {v, v + 1};
        }
        double[] out = new double[e.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = e.get(i);
        }
        return out;
    }

    private static int[] sampleRows(int rows, long seed) {
        if (rows <= MAX_SAMPLE) {
            int[] all = new int[rows];
            for (int i = 0; i < rows; i++) {
                all[i] = i;
            }
            return all;
        }
        Random r = new Random(seed);
        int[] s = new int[MAX_SAMPLE];
        for (int i = 0; i < s.length; i++) {
            s[i] = r.nextInt(rows);
        }
        return s;
    }

    private static void checkArgs(float[] x, int rows, int cols, int nBins) {
        if (rows < 1 || cols < 1 || (long) rows * cols != x.length) {
            throw new IllegalArgumentException("matrix of " + x.length + " values is not " + rows + " × " + cols);
        }
        if (nBins < 1) {
            throw new IllegalArgumentException("nBins must be ≥ 1, got " + nBins);
        }
    }

    /** Number of features. */
    public int features() {
        return edges.length;
    }

    /** Number of bins T_j of feature j (edges − 1). */
    public int bins(int feature) {
        return edges[feature].length - 1;
    }

    /** The largest T_j over features (the padded width of the encoding). */
    public int maxBins() {
        int m = 0;
        for (double[] e : edges) {
            m = Math.max(m, e.length - 1);
        }
        return m;
    }

    public double[] edges(int feature) {
        return edges[feature].clone();
    }

    /**
     * The piecewise-linear encoding of x for feature j, as the formula: component t is 1 if x ≥ b_t, 0 if
     * x &lt; b_{t−1}, (x − b_{t−1}) / (b_t − b_{t−1}) otherwise; except that the first component is only clamped
     * from above and the last only from below, so values outside [b₀, b_T] extrapolate linearly. One bin: no clamp.
     */
    public double[] encode(int feature, double x) {
        double[] e = edges[feature];
        int t = e.length - 1;
        double[] out = new double[t];
        for (int k = 0; k < t; k++) {
            double v = (x - e[k]) / (e[k + 1] - e[k]);
            if (t > 1) {
                if (k == 0) {
                    v = Math.min(v, 1);
                } else if (k == t - 1) {
                    v = Math.max(v, 0);
                } else {
                    v = Math.min(Math.max(v, 0), 1);
                }
            }
            out[k] = v;
        }
        return out;
    }

    /** Edges as a list of lists (for block.json / config records). */
    public List<List<Double>> toLists() {
        List<List<Double>> out = new ArrayList<>();
        for (double[] e : edges) {
            List<Double> l = new ArrayList<>();
            for (double v : e) {
                l.add(v);
            }
            out.add(l);
        }
        return out;
    }
}
