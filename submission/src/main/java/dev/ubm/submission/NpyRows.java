package dev.ubm.submission;

import dev.ubm.core.BadInputException;
import dev.ubm.data.Float16;
import dev.ubm.data.Npy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Random access to the rows of a 2-D float .npy (float32, float16 or float64, C order) through memory maps, so
 * blocks far larger than the heap can be combined. Rows are returned as float32.
 */
final class NpyRows implements AutoCloseable {
    private static final long SEGMENT_BYTES = 1L << 30;

    private final Path file;
    private final Npy.Dtype dtype;
    private final long rows;
    private final int cols;
    private final int rowBytes;
    private final long rowsPerSegment;
    private final MappedByteBuffer[] segments;

    private NpyRows(Path file, Npy.Header h) throws IOException {
        this.file = file;
        this.dtype = h.dtype();
        this.rows = h.rows();
        if (h.cols() > Integer.MAX_VALUE / 8) {
            throw new BadInputException(file + ": too many columns (" + h.cols() + ")");
        }
        this.cols = (int) h.cols();
        this.rowBytes = cols * dtype.size();
        this.rowsPerSegment = Math.max(1, SEGMENT_BYTES / Math.max(1, rowBytes));
        int nseg = (int) Math.max(1, (rows + rowsPerSegment - 1) / rowsPerSegment);
        segments = new MappedByteBuffer[rows == 0 ? 0 : nseg];
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long need = h.dataOffset() + rows * rowBytes;
            if (ch.size() < need) {
                throw new BadInputException(file + ": truncated: shape " + h.shapeString() + " needs " + need
                        + " bytes, the file has " + ch.size());
            }
            for (int s = 0; s < segments.length; s++) {
                long first = s * rowsPerSegment;
                long n = Math.min(rowsPerSegment, rows - first);
                segments[s] = ch.map(FileChannel.MapMode.READ_ONLY, h.dataOffset() + first * rowBytes, n * rowBytes);
                segments[s].order(ByteOrder.LITTLE_ENDIAN);
            }
        }
    }

    /** Opens a 2-D float array; throws {@link BadInputException} naming the file for anything else. */
    static NpyRows open(Path file) {
        Npy.Header h = Npy.header(file);
        if (h.shape().length != 2) {
            throw new BadInputException(file + ": expected a 2-D array, found shape " + h.shapeString());
        }
        if (h.fortranOrder()) {
            throw new BadInputException(file + ": Fortran-order arrays are not supported (save it C-ordered)");
        }
        if (h.dtype() != Npy.Dtype.FLOAT32 && h.dtype() != Npy.Dtype.FLOAT16 && h.dtype() != Npy.Dtype.FLOAT64) {
            throw new BadInputException(file + ": expected float32, float16 or float64, found " + h.dtype().numpyName());
        }
        try {
            return new NpyRows(file, h);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot map " + file, e);
        }
    }

    long rows() {
        return rows;
    }

    int cols() {
        return cols;
    }

    Path file() {
        return file;
    }

    /** Copies row r into dst[0..cols). */
    void row(long r, float[] dst) {
        MappedByteBuffer seg = segments[(int) (r / rowsPerSegment)];
        int base = (int) ((r % rowsPerSegment) * rowBytes);
        switch (dtype) {
            case FLOAT32 -> {
                for (int j = 0; j < cols; j++) {
                    dst[j] = seg.getFloat(base + 4 * j);
                }
            }
            case FLOAT16 -> {
                for (int j = 0; j < cols; j++) {
                    dst[j] = Float16.toFloat(seg.getShort(base + 2 * j));
                }
            }
            case FLOAT64 -> {
                for (int j = 0; j < cols; j++) {
                    dst[j] = (float) seg.getDouble(base + 8 * j);
                }
            }
            default -> throw new IllegalStateException(dtype.toString());
        }
    }

    @Override
    public void close() {
        // mapped buffers are released by the GC; nothing to close explicitly
    }
}
