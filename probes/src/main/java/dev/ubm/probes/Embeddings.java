package dev.ubm.probes;

import dev.ubm.core.BadInputException;
import dev.ubm.data.Float16;
import dev.ubm.data.Npy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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

    /** Memory-maps a 2-D float16/float32 C-order .npy (shape and dtype are checked by {@link EmbeddingCheck}). */
    static Embeddings map(Path file) {
        Npy.Header h = Npy.header(file);
        if (h.shape().length != 2) {
            throw new BadInputException(file + ": expected a 2-D array (clients x dims), found shape "
                    + h.shapeString());
        }
        if (h.dtype() != Npy.Dtype.FLOAT16 && h.dtype() != Npy.Dtype.FLOAT32) {
            throw new BadInputException(file + ": expected dtype float16 or float32, found "
                    + h.dtype().numpyName());
        }
        if (h.fortranOrder()) {
            throw new BadInputException(file + ": Fortran-order arrays are not supported (save with "
                    + "np.ascontiguousarray)");
        }
        if (h.rows() > Integer.MAX_VALUE - 8 || h.cols() > Integer.MAX_VALUE / 8) {
            throw new BadInputException(file + ": shape " + h.shapeString() + " is too large");
        }
        return new Mapped(file, h);
    }

    /** A memory-mapped .npy, in segments of at most 1 GiB of whole rows. */
    final class Mapped implements Embeddings {
        private final int rows;
        private final int dims;
        private final boolean half;
        private final int rowBytes;
        private final int rowsPerSegment;
        private final ByteBuffer[] segments;

        Mapped(Path file, Npy.Header h) {
            rows = (int) h.rows();
            dims = (int) h.cols();
            half = h.dtype() == Npy.Dtype.FLOAT16;
            rowBytes = dims * (half ? 2 : 4);
            rowsPerSegment = Math.max(1, (1 << 30) / Math.max(rowBytes, 1));
            int n = rows == 0 ? 0 : (rows - 1) / rowsPerSegment + 1;
            segments = new ByteBuffer[n];
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                long need = h.dataOffset() + (long) rows * rowBytes;
                if (ch.size() < need) {
                    throw new BadInputException(file + ": truncated: shape " + h.shapeString() + " needs " + need
                            + " bytes, the file has " + ch.size());
                }
                for (int s = 0; s < n; s++) {
                    long first = (long) s * rowsPerSegment;
                    long count = Math.min(rowsPerSegment, rows - first);
                    MappedByteBuffer b = ch.map(FileChannel.MapMode.READ_ONLY, h.dataOffset() + first * rowBytes,
                            count * rowBytes);
                    segments[s] = b.order(ByteOrder.LITTLE_ENDIAN);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot map " + file, e);
            }
        }

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
                ByteBuffer b = segments[r / rowsPerSegment];
                int pos = (r % rowsPerSegment) * rowBytes;
                int o = i * dims;
                if (half) {
                    for (int j = 0; j < dims; j++) {
                        out[o + j] = Float16.toFloat(b.getShort(pos + 2 * j));
                    }
                } else {
                    for (int j = 0; j < dims; j++) {
                        out[o + j] = b.getFloat(pos + 4 * j);
                    }
                }
            }
        }
    }
}
