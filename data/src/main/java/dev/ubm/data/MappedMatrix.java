package dev.ubm.data;

import dev.ubm.core.BadInputException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The one reader of a block's {@code embeddings.npy}: random access to the rows of a 2-D float .npy (float32,
 * float16 or float64, C order) through memory maps in segments of at most 1 GiB of whole rows, so matrices far
 * larger than the heap can be read. Rows come back as float32; float16 is cast as numpy does, never normalised.
 */
public final class MappedMatrix {
    private static final long SEGMENT_BYTES = 1L << 30;

    private final Path file;
    private final Npy.Dtype dtype;
    private final long rows;
    private final int cols;
    private final int rowBytes;
    private final long rowsPerSegment;
    private final MappedByteBuffer[] segments;

    private MappedMatrix(Path file, Npy.Header h) throws IOException {
        this.file = file;
        this.dtype = h.dtype();
        this.rows = h.rows();
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

    /** Maps a 2-D float array; throws {@link BadInputException} naming the file, expected and found otherwise. */
    public static MappedMatrix open(Path file) {
        Npy.Header h = Npy.header(file);
        if (h.shape().length != 2) {
            throw new BadInputException(file + ": expected a 2-D array (clients x dims), found shape "
                    + h.shapeString());
        }
        if (h.fortranOrder()) {
            throw new BadInputException(file + ": Fortran-order arrays are not supported (save it C-ordered, "
                    + "np.ascontiguousarray)");
        }
        if (h.dtype() != Npy.Dtype.FLOAT32 && h.dtype() != Npy.Dtype.FLOAT16 && h.dtype() != Npy.Dtype.FLOAT64) {
            throw new BadInputException(file + ": expected float32, float16 or float64, found "
                    + h.dtype().numpyName());
        }
        if (h.rows() > Integer.MAX_VALUE - 8 || h.cols() > Integer.MAX_VALUE / 8) {
            throw new BadInputException(file + ": shape " + h.shapeString() + " is too large");
        }
        try {
            return new MappedMatrix(file, h);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot map " + file, e);
        }
    }

    public long rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    public Npy.Dtype dtype() {
        return dtype;
    }

    public Path file() {
        return file;
    }

    /** Copies row r into dst[0..cols). */
    public void row(long r, float[] dst) {
        row(r, dst, 0);
    }

    /** Copies row r into dst[offset..offset+cols). */
    public void row(long r, float[] dst, int offset) {
        MappedByteBuffer seg = segments[(int) (r / rowsPerSegment)];
        int base = (int) ((r % rowsPerSegment) * rowBytes);
        switch (dtype) {
            case FLOAT32 -> {
                for (int j = 0; j < cols; j++) {
                    dst[offset + j] = seg.getFloat(base + 4 * j);
                }
            }
            case FLOAT16 -> {
                for (int j = 0; j < cols; j++) {
                    dst[offset + j] = Float16.toFloat(seg.getShort(base + 2 * j));
                }
            }
            case FLOAT64 -> {
                for (int j = 0; j < cols; j++) {
                    dst[offset + j] = (float) seg.getDouble(base + 8 * j);
                }
            }
            default -> throw new IllegalStateException(dtype.toString());
        }
    }
}
