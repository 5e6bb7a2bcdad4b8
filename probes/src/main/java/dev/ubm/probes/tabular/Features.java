package dev.ubm.probes.tabular;

import dev.ubm.core.BadInputException;
import dev.ubm.probes.Embeddings;

/** A task's embedding rows gathered into one dense in-memory matrix (what XGBoost and Tribuo take). */
final class Features {
    /** The most cells a tabular probe holds in memory (2^31 - a little, one Java array). */
    static final long MAX_CELLS = Integer.MAX_VALUE - 64L;

    private Features() {
    }

    static float[] gather(Embeddings x, int[] rows, String probe) {
        long cells = (long) rows.length * x.dims();
        if (cells > MAX_CELLS) {
            throw new BadInputException("the " + probe + " probe holds the embedding in memory, but " + rows.length
                    + " x " + x.dims() + " is too large; use --probe fast or official");
        }
        float[] out = new float[(int) cells];
        int chunk = 4096;
        float[] buf = new float[chunk * x.dims()];
        for (int from = 0; from < rows.length; from += chunk) {
            int count = Math.min(chunk, rows.length - from);
            x.read(rows, from, count, buf);
            System.arraycopy(buf, 0, out, from * x.dims(), count * x.dims());
        }
        return out;
    }

    /** The constant logit for a label never seen positive (or always positive) in training: log-odds of its rate. */
    static float priorLogit(int positives, int n) {
        double p = (positives + 0.5) / (n + 1.0);
        return (float) Math.log(p / (1 - p));
    }
}
