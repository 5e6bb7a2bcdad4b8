package dev.ubm.encoders.sequence;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;

import dev.ubm.core.AtomicFiles;
import dev.ubm.core.BlockDir;
import dev.ubm.core.Progress;
import dev.ubm.data.Npy;
import dev.ubm.nn.LazyAdamTable;

import java.util.Arrays;

/**
 * Batched inference that streams the block: clients are taken in chunks, sorted by length inside a chunk (little
 * padding), encoded {@code inferBatch} at a time, and their rows appended to {@code client_ids.npy} and
 * {@code embeddings.npy} as they come, so only one chunk is ever on the heap. A client with no events gets the
 * model's learned empty-history vector (the output at the BOS token).
 *
 * <p>With the now+targets readout every column (the NOW vector's and each target logit) is standardised with its
 * mean and standard deviation over the first {@link #STATS_SAMPLE} clients to encode, and each row is then
 * L2-normalised, so every target's logit reaches a probe on the same scale as the NOW vector's columns.
 */
final class SeqInference {
    private final SeqModel model;
    private final NDManager manager;
    private final SeqCorpus corpus;
    private final BatchBuilder builder;
    private final int batchSize;
    /** Clients whose vectors fix the column statistics of the now+targets readout. */
    static final int STATS_SAMPLE = 4096;
    /** Column means and inverse standard deviations (now+targets readout), else null. */
    private double[] mean;
    private double[] invStd;

    SeqInference(SeqModel model, NDManager manager, SeqCorpus corpus, BatchBuilder builder, int batchSize) {
        this.model = model;
        this.manager = manager;
        this.corpus = corpus;
        this.builder = builder;
        this.batchSize = batchSize;
    }

    /** The learned vector of a client with no history (L2-normalised output at BOS). */
    float[] emptyVector() {
        ParameterStore ps = new ParameterStore(manager, false);
        try (NDManager sm = manager.newSubManager()) {
            SeqBatch b = builder.build(new int[] {-1}, new long[] {corpus.cutoff()}, false, null);
            NDArray h = model.hidden(ps, sm, b, rows(sm, b), false);
            return model.vectorsAt(ps, h, sm, new long[] {0}).toFloatArray();
        }
    }

    private NDArray rows(NDManager sm, SeqBatch b) {
        return LazyAdamTable.rows(model.table(), sm, sm.create(b.rows()));
    }

    /** Vectors (n x dim, row-major) of corpus clients (index -1 = no events) cut at the real cutoff. */
    float[] encode(int[] clients) {
        int d = model.outputDim();
        float[] out = new float[clients.length * d];
        ParameterStore ps = new ParameterStore(manager, false);
        long[] cut = new long[clients.length];
        Arrays.fill(cut, corpus.cutoff());
        try (NDManager sm = manager.newSubManager()) {
            SeqBatch b = builder.build(clients, cut, false, null);
            NDArray h = model.hidden(ps, sm, b, rows(sm, b), false);
            float[] v = model.vectorsAt(ps, h, sm, b.last()).toFloatArray();
            System.arraycopy(v, 0, out, 0, v.length);
        }
        return out;
    }

    /**
     * Fits the column statistics of the now+targets readout on the first {@link #STATS_SAMPLE} of {@code ids} (a
     * no-op for the now readout); {@link #writeBlock} calls it.
     */
    void fitStats(long[] ids) {
        if (model.config().readout() != SeqConfig.Readout.NOW_TARGETS) {
            return;
        }
        int d = model.outputDim();
        int n = Math.min(ids.length, STATS_SAMPLE);
        int[] idx = new int[n];
        int known = 0;
        for (int i = 0; i < n; i++) {
            int c = corpus.indexOf(ids[i]);
            if (c >= 0) {
                idx[known++] = c;
            }
        }
        Integer[] order = new Integer[known];
        int[] len = new int[known];
        for (int i = 0; i < known; i++) {
            order[i] = i;
            len[i] = builder.length(idx[i], corpus.cutoff());
        }
        Arrays.sort(order, (a, b) -> Integer.compare(len[a], len[b]));
        float[] sample = new float[n * d];
        for (int s = 0; s < known; s += batchSize) {
            int e = Math.min(known, s + batchSize);
            int[] cl = new int[e - s];
            for (int k = s; k < e; k++) {
                cl[k - s] = idx[order[k]];
            }
            float[] v = encode(cl);
            System.arraycopy(v, 0, sample, s * d, v.length);
        }
        float[] empty = emptyVector();
        for (int i = known; i < n; i++) {
            System.arraycopy(empty, 0, sample, i * d, d);
        }
        double[][] st = columnStats(sample, d);
        mean = st[0];
        invStd = st[1];
    }

    /** Per column of {@code rows} (row-major, {@code d} columns): the mean and 1 / standard deviation (0 if flat). */
    static double[][] columnStats(float[] rows, int d) {
        int n = rows.length / d;
        double[] mean = new double[d];
        double[] inv = new double[d];
        for (int i = 0; i < rows.length; i++) {
            mean[i % d] += rows[i];
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= Math.max(n, 1);
        }
        for (int i = 0; i < rows.length; i++) {
            double x = rows[i] - mean[i % d];
            inv[i % d] += x * x;
        }
        for (int j = 0; j < d; j++) {
            double var = inv[j] / Math.max(n, 1);
            inv[j] = var > 1e-12 ? 1 / Math.sqrt(var) : 0;
        }
        return new double[][] {mean, inv};
    }

    /** Standardises each column ({@code (x - mean) * invStd}) and L2-normalises each row of {@code v}, in place. */
    static void standardiseRows(float[] v, double[] mean, double[] invStd) {
        int d = mean.length;
        for (int r = 0; r < v.length; r += d) {
            double norm = 0;
            for (int j = 0; j < d; j++) {
                double x = (v[r + j] - mean[j]) * invStd[j];
                v[r + j] = (float) x;
                norm += x * x;
            }
            float inv = (float) (1 / Math.max(Math.sqrt(norm), 1e-12));
            for (int j = 0; j < d; j++) {
                v[r + j] *= inv;
            }
        }
    }

    /** The now+targets readout's standardisation and row normalisation, in place; the now readout is unchanged. */
    float[] finish(float[] v) {
        if (mean != null) {
            standardiseRows(v, mean, invStd);
        }
        return v;
    }

    /** Writes the block rows for {@code ids} (in chunk-sorted order); returns the number of rows. */
    long writeBlock(long[] ids, BlockDir block) {
        int d = model.outputDim();
        block.createDirs();
        AtomicFiles.deleteQuietly(block.metaFile());
        fitStats(ids);
        float[] empty = finish(emptyVector());
        int chunk = batchSize * 16;
        try (Npy.RowWriter idw = Npy.RowWriter.open(block.clientIdsFile(), Npy.Dtype.INT64, 0);
                Npy.RowWriter ew = Npy.RowWriter.open(block.embeddingsFile(), Npy.Dtype.FLOAT32, d);
                Progress bar = new Progress("seq encode", ids.length, "clients")) {
            try {
                for (int from = 0; from < ids.length; from += chunk) {
                    int to = Math.min(ids.length, from + chunk);
                    int n = to - from;
                    int[] idx = new int[n];
                    int[] len = new int[n];
                    Integer[] order = new Integer[n];
                    int empties = 0;
                    for (int i = 0; i < n; i++) {
                        idx[i] = corpus.indexOf(ids[from + i]);
                        len[i] = idx[i] < 0 ? 0 : builder.length(idx[i], corpus.cutoff());
                        order[i] = i;
                        if (idx[i] < 0) {
                            empties++;
                        }
                    }
                    Arrays.sort(order, (a, b) -> Integer.compare(len[a], len[b]));
                    // empties sort first (length 0)
                    long[] emptyIds = new long[empties];
                    for (int i = 0; i < empties; i++) {
                        emptyIds[i] = ids[from + order[i]];
                        ew.appendRow(empty);
                    }
                    idw.appendLongs(emptyIds);
                    for (int s = empties; s < n; s += batchSize) {
                        int e = Math.min(n, s + batchSize);
                        int[] cl = new int[e - s];
                        long[] bid = new long[e - s];
                        for (int k = s; k < e; k++) {
                            cl[k - s] = idx[order[k]];
                            bid[k - s] = ids[from + order[k]];
                        }
                        float[] v = finish(encode(cl));
                        ew.appendFloats(v, 0, cl.length);
                        idw.appendLongs(bid);
                    }
                    bar.add(n);
                }
            } catch (RuntimeException | Error ex) {
                idw.abort();
                ew.abort();
                throw ex;
            }
        }
        return ids.length;
    }
}
