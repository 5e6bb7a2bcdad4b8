package dev.ubm.gnn;

import java.util.Arrays;

/**
 * A sparse float matrix in compressed sparse row form (row pointers, column indices sorted within a row, values).
 * Built from (row, col, value) triples with duplicates summed; multiplies dense row-major blocks in parallel
 * over rows, so results do not depend on the thread count.
 */
public final class Csr {
    private final int rows;
    private final int cols;
    private final int[] ptr;
    private final int[] col;
    private final float[] val;

    Csr(int rows, int cols, int[] ptr, int[] col, float[] val) {
        this.rows = rows;
        this.cols = cols;
        this.ptr = ptr;
        this.col = col;
        this.val = val;
    }

    /** Builds a matrix from the first {@code n} triples, summing duplicates. */
    public static Csr fromTriples(int rows, int cols, int[] r, int[] c, float[] v, int n) {
        int[] ptr = new int[rows + 1];
        for (int i = 0; i < n; i++) {
            if (r[i] < 0 || r[i] >= rows || c[i] < 0 || c[i] >= cols) {
                throw new IllegalArgumentException("triple " + i + " (" + r[i] + "," + c[i] + ") outside " + rows + "x"
                        + cols);
            }
            ptr[r[i] + 1]++;
        }
        for (int i = 0; i < rows; i++) {
            ptr[i + 1] += ptr[i];
        }
        int[] pos = Arrays.copyOf(ptr, rows);
        int[] col = new int[n];
        float[] val = new float[n];
        for (int i = 0; i < n; i++) {
            int p = pos[r[i]]++;
            col[p] = c[i];
            val[p] = v[i];
        }
        // sort each row by column and merge duplicates
        int[] outPtr = new int[rows + 1];
        int w = 0;
        long[] tmp = new long[16];
        for (int i = 0; i < rows; i++) {
            int a = ptr[i];
            int b = ptr[i + 1];
            int len = b - a;
            if (tmp.length < len) {
                tmp = new long[Math.max(len, tmp.length * 2)];
            }
            for (int k = 0; k < len; k++) {
                tmp[k] = ((long) col[a + k] << 32) | k;
            }
            Arrays.sort(tmp, 0, len);
            int start = w;
            float[] vals = Arrays.copyOfRange(val, a, b);
            for (int k = 0; k < len; k++) {
                int cc = (int) (tmp[k] >>> 32);
                float vv = vals[(int) tmp[k]];
                if (w > start && col[w - 1] == cc) {
                    val[w - 1] += vv;
                } else {
                    col[w] = cc;
                    val[w] = vv;
                    w++;
                }
            }
            outPtr[i + 1] = w;
        }
        return new Csr(rows, cols, outPtr, Arrays.copyOf(col, w), Arrays.copyOf(val, w));
    }

    /** A dense rows×cols matrix (row-major) as CSR, skipping zeros. */
    public static Csr fromDense(double[] a, int rows, int cols) {
        int n = 0;
        for (double x : a) {
            n += x != 0 ? 1 : 0;
        }
        int[] r = new int[n];
        int[] c = new int[n];
        float[] v = new float[n];
        int k = 0;
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                double x = a[i * cols + j];
                if (x != 0) {
                    r[k] = i;
                    c[k] = j;
                    v[k++] = (float) x;
                }
            }
        }
        return fromTriples(rows, cols, r, c, v, n);
    }

    /** Row pointers (row r holds entries ptr[r]..ptr[r+1]-1); shared, not copied. */
    int[] ptr() {
        return ptr;
    }

    /** Column index of each entry; shared, not copied. */
    int[] col() {
        return col;
    }

    /** Value of each entry; shared, not copied. */
    float[] val() {
        return val;
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    public long nnz() {
        return ptr[rows];
    }

    /** Number of stored entries of a row. */
    public int rowLength(int r) {
        return ptr[r + 1] - ptr[r];
    }

    /** Applies log(1 + x) to every value. */
    public Csr log1p() {
        float[] v = new float[val.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) Math.log1p(val[i]);
        }
        return new Csr(rows, cols, ptr, col, v);
    }

    /** Scales every non-empty row to unit L2 norm. */
    public Csr normalizeRows() {
        float[] v = val.clone();
        for (int i = 0; i < rows; i++) {
            double s = 0;
            for (int p = ptr[i]; p < ptr[i + 1]; p++) {
                s += (double) v[p] * v[p];
            }
            if (s > 0) {
                float inv = (float) (1 / Math.sqrt(s));
                for (int p = ptr[i]; p < ptr[i + 1]; p++) {
                    v[p] *= inv;
                }
            }
        }
        return new Csr(rows, cols, ptr, col, v);
    }

    /** The transpose, also in CSR form. */
    public Csr transpose() {
        int nnz = ptr[rows];
        int[] tp = new int[cols + 1];
        for (int p = 0; p < nnz; p++) {
            tp[col[p] + 1]++;
        }
        for (int j = 0; j < cols; j++) {
            tp[j + 1] += tp[j];
        }
        int[] pos = Arrays.copyOf(tp, cols);
        int[] tc = new int[nnz];
        float[] tv = new float[nnz];
        for (int i = 0; i < rows; i++) {
            for (int p = ptr[i]; p < ptr[i + 1]; p++) {
                int q = pos[col[p]]++;
                tc[q] = i;
                tv[q] = val[p];
            }
        }
        return new Csr(cols, rows, tp, tc, tv);
    }

    /** out (rows×l) = this × x (cols×l), both row-major float, accumulated in double; rows split over threads. */
    public void multiply(float[] x, int l, float[] out, int threads) {
        Parallel.range(rows, threads, (from, to) -> {
            double[] acc = new double[l];
            for (int i = from; i < to; i++) {
                Arrays.fill(acc, 0.0);
                for (int p = ptr[i]; p < ptr[i + 1]; p++) {
                    double v = val[p];
                    int xo = col[p] * l;
                    for (int k = 0; k < l; k++) {
                        acc[k] += v * x[xo + k];
                    }
                }
                int o = i * l;
                for (int k = 0; k < l; k++) {
                    out[o + k] = (float) acc[k];
                }
            }
        });
    }
}
