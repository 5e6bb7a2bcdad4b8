package dev.ubm.probes.targets;

import java.util.Arrays;

/**
 * 0/1 labels of one task in one window, one row per probe sample: a sparse multi-hot matrix (rows x width) in
 * CSR form, so a million clients times 100 labels costs only the positives. Binary tasks have width 1.
 */
public final class Labels {
    private final int rows;
    private final int width;
    private final int[] start;
    private final int[] cols;

    private Labels(int rows, int width, int[] start, int[] cols) {
        this.rows = rows;
        this.width = width;
        this.start = start;
        this.cols = cols;
    }

    /** Builds labels from (row, column) pairs of positives sorted by row then column, duplicates allowed. */
    public static Labels ofSortedPairs(int rows, int width, int[] pairRows, int[] pairCols, int n) {
        int[] start = new int[rows + 1];
        int[] cols = new int[n];
        int m = 0;
        int prevRow = -1;
        int prevCol = -1;
        for (int i = 0; i < n; i++) {
            int r = pairRows[i];
            int c = pairCols[i];
            if (r < prevRow || (r == prevRow && c < prevCol)) {
                throw new IllegalArgumentException("pairs are not sorted at " + i);
            }
            if (r < 0 || r >= rows || c < 0 || c >= width) {
                throw new IllegalArgumentException("pair (" + r + ", " + c + ") outside " + rows + " x " + width);
            }
            if (r == prevRow && c == prevCol) {
                continue;
            }
            cols[m++] = c;
            start[r + 1]++;
            prevRow = r;
            prevCol = c;
        }
        for (int r = 0; r < rows; r++) {
            start[r + 1] += start[r];
        }
        return new Labels(rows, width, start, Arrays.copyOf(cols, m));
    }

    /** Binary labels (width 1) from one value per row. */
    public static Labels binary(boolean[] positive) {
        int n = 0;
        for (boolean b : positive) {
            n += b ? 1 : 0;
        }
        int[] start = new int[positive.length + 1];
        int[] cols = new int[n];
        for (int r = 0; r < positive.length; r++) {
            start[r + 1] = start[r] + (positive[r] ? 1 : 0);
        }
        return new Labels(positive.length, 1, start, cols);
    }

    /** Labels from a dense row-major 0/1 matrix (tests and small data). */
    public static Labels ofDense(byte[] dense, int rows, int width) {
        int[] pr = new int[dense.length];
        int[] pc = new int[dense.length];
        int n = 0;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < width; c++) {
                if (dense[r * width + c] != 0) {
                    pr[n] = r;
                    pc[n++] = c;
                }
            }
        }
        return ofSortedPairs(rows, width, pr, pc, n);
    }

    public int rows() {
        return rows;
    }

    public int width() {
        return width;
    }

    public boolean get(int row, int col) {
        for (int i = start[row]; i < start[row + 1]; i++) {
            if (cols[i] == col) {
                return true;
            }
        }
        return false;
    }

    /** Writes rows [from, from+count) as dense floats (count x width) into out, zeros elsewhere. */
    public void fill(int from, int count, float[] out) {
        Arrays.fill(out, 0, count * width, 0f);
        for (int r = 0; r < count; r++) {
            int row = from + r;
            for (int i = start[row]; i < start[row + 1]; i++) {
                out[r * width + cols[i]] = 1f;
            }
        }
    }

    /** Column {@code col} as 0/1 floats, one per row. */
    public void column(int col, float[] out) {
        for (int r = 0; r < rows; r++) {
            out[r] = get(r, col) ? 1f : 0f;
        }
    }

    /** The whole matrix as dense row-major bytes (what the metrics take). */
    public byte[] dense() {
        byte[] out = new byte[Math.multiplyExact(rows, width)];
        for (int r = 0; r < rows; r++) {
            for (int i = start[r]; i < start[r + 1]; i++) {
                out[r * width + cols[i]] = 1;
            }
        }
        return out;
    }

    /** Number of positives per column. */
    public int[] positivesPerColumn() {
        int[] out = new int[width];
        for (int c : cols) {
            out[c]++;
        }
        return out;
    }

    /** Total number of positive cells. */
    public int positives() {
        return cols.length;
    }
}
