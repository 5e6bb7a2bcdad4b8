package dev.ubm.probes;

import dev.ubm.core.BlockDir;
import dev.ubm.data.BlockCheck;
import dev.ubm.data.MappedMatrix;

import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Rows of an embedding matrix as float32, read a batch at a time: a memory-mapped {@code embeddings.npy} (float16
 * or float32; float16 is cast to float32 as the organisers' validator does, never normalised), an in-memory array,
 * or a random Gaussian control generated row by row from a seed (so a 1M x 2048 control costs no memory).
 */
public interface Embeddings {
    int rows();

    int dims();

    /** Copies the given rows, in order, into {@code out} (row-major, {@code count x dims}). */
    void read(int[] rowIndex, int from, int count, float[] out);

    /** One row. */
    default float[] row(int r) {
        float[] out = new float[dims()];
        read(new int[] {r}, 0, 1, out);
        return out;
    }

    /** A dense in-memory matrix. */
    static Embeddings of(float[] data, int rows, int dims) {
        if ((long) rows * dims != data.length) {
            throw new IllegalArgumentException(data.length + " values are not " + rows + " x " + dims);
        }
        return new Embeddings() {
            @Override
            public int rows() {
                return rows;
            }

            @Override
            public int dims() {
                return dims;
            }

            @Override
            public void read(int[] rowIndex, int from, int count, float[] out) {
                for (int i = 0; i < count; i++) {
                    System.arraycopy(data, rowIndex[from + i] * dims, out, i * dims, dims);
                }
            }
        };
    }

    /** Standard normal values, the same for the same (seed, row) whatever the access order. */
    static Embeddings randomGaussian(int rows, int dims, long seed) {
        return new Embeddings() {
            @Override
            public int rows() {
                return rows;
            }

            @Override
            public int dims() {
                return dims;
            }

            @Override
            public void read(int[] rowIndex, int from, int count, float[] out) {
                for (int i = 0; i < count; i++) {
                    int r = rowIndex[from + i];
                    SplittableRandom rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + r);
                    for (int j = 0; j < dims; j++) {
                        out[i * dims + j] = (float) gaussian(rnd);
                    }
                }
            }
        };
    }

    private static double gaussian(SplittableRandom rnd) {
        // Box-Muller on (0,1] so the log is finite
        double u = 1.0 - rnd.nextDouble();
        double v = rnd.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2.0 * Math.PI * v);
    }

    /** A checked embeddings dir: ids and rows, aligned. */
    record Checked(long[] clientIds, Embeddings embeddings) {
    }

    /**
     * Checks an embeddings dir against the relevant clients with {@link BlockCheck} (float16 or float32, at most
     * {@code maxDims} columns, ids a permutation of {@code relevantClients}) and maps it.
     *
     * @throws dev.ubm.core.BadInputException listing every problem found
     */
    static Checked open(Path embeddingsDir, long[] relevantClients, int maxDims) {
        BlockCheck.Report r = BlockCheck.check(embeddingsDir, relevantClients, BlockCheck.Rules.probe(maxDims))
                .requireUsable();
        return new Checked(r.clientIds(), map(new BlockDir(embeddingsDir).embeddingsFile()));
    }

    /** Memory-maps a 2-D float .npy through the one block reader, {@link MappedMatrix}. */
    static Embeddings map(Path file) {
        MappedMatrix m = MappedMatrix.open(file);
        int rows = (int) m.rows();
        int dims = m.cols();
        return new Embeddings() {
            @Override
            public int rows() {
                return rows;
            }

            @Override
            public int dims() {
                return dims;
            }

            @Override
            public void read(int[] rowIndex, int from, int count, float[] out) {
                for (int i = 0; i < count; i++) {
                    m.row(rowIndex[from + i], out, i * dims);
                }
            }
        };
    }
}
