package dev.ubm.nn.tabular;

/** Column statistics of row-major float matrices, shared by the encoders and the probes. */
public final class Columns {
    private Columns() {
    }

    /**
     * Centres and scales columns {@code from..cols-1} of the row-major {@code rows x cols} matrix {@code data} to unit
     * variance, in place; a column of variance at most 1e-12 is only centred (a constant column becomes 0).
     */
    public static void standardise(float[] data, int rows, int cols, int from) {
        for (int j = from; j < cols; j++) {
            double s = 0;
            double ss = 0;
            for (int i = 0; i < rows; i++) {
                double v = data[i * cols + j];
                s += v;
                ss += v * v;
            }
            double mean = s / Math.max(rows, 1);
            double var = Math.max(0, ss / Math.max(rows, 1) - mean * mean);
            double sd = var > 1e-12 ? Math.sqrt(var) : 1.0;
            for (int i = 0; i < rows; i++) {
                data[i * cols + j] = (float) ((data[i * cols + j] - mean) / sd);
            }
        }
    }
}
