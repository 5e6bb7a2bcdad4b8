package dev.ubm.gnn;

import dev.ubm.core.BadInputException;
import dev.ubm.data.Npy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A rows×dim float32 table (an embedding table) that may exceed one Java array: rows live in pages of at most
 * 2^24 floats, either on the heap ({@link #heap}) or in a memory-mapped scratch file ({@link #mapped}) when the
 * table would not fit the heap. Training copies rows in and adds scaled gradients back, so both layouts serve the
 * same hot loop. Concurrent {@link #addScaled} calls on one row may lose an update (Hogwild); nothing else breaks.
 */
public abstract class FloatTable implements AutoCloseable {
    final int rows;
    final int dim;
    final int shift;
    final int mask;

    FloatTable(int rows, int dim, int maxPageFloats) {
        if (rows < 0 || dim < 1) {
            throw new IllegalArgumentException("bad table shape " + rows + "x" + dim);
        }
        this.rows = rows;
        this.dim = dim;
        int s = 0;
        while ((2L << s) * dim <= maxPageFloats) {
            s++;
        }
        this.shift = s;
        this.mask = (1 << s) - 1;
    }

    /** A table on the heap. */
    public static FloatTable heap(int rows, int dim) {
        return new Heap(rows, dim);
    }

    /** A table in a memory-mapped scratch file (deleted on {@link #close}). */
    public static FloatTable mapped(int rows, int dim, Path file) {
        return new Mapped(rows, dim, file);
    }

    /** Heap when the table takes under 40% of the maximum heap, else a mapped file at {@code scratch}. */
    public static FloatTable auto(int rows, int dim, Path scratch) {
        long bytes = 4L * rows * dim;
        return bytes < 0.4 * Runtime.getRuntime().maxMemory() ? heap(rows, dim) : mapped(rows, dim, scratch);
    }

    public int rows() {
        return rows;
    }

    public int dim() {
        return dim;
    }

    /** Rows per page (a power of two). */
    int rowsPerPage() {
        return 1 << shift;
    }

    /**
     * Reads one float of every 64-byte cache line of row {@code row} and returns their sum: a software prefetch
     * (Java has none) that a caller issues for many rows in a row, so their cache misses overlap.
     */
    public abstract float touch(int row);

    /** Copies row {@code row} into {@code dst[off..off+dim)}. */
    public abstract void read(int row, float[] dst, int off);

    /** Overwrites row {@code row} with {@code src[off..off+dim)}. */
    public abstract void write(int row, float[] src, int off);

    /**
     * row += scale * g (g has length dim). The row is copied into {@code scratch} (length dim), updated there with a
     * loop the JIT vectorises, and copied back.
     */
    public abstract void addScaled(int row, float[] g, float scale, float[] scratch);

    static void axpy(float a, float[] x, float[] y) {
        for (int k = 0; k < y.length; k++) {
            y[k] += a * x[k];
        }
    }

    /**
     * The heap array holding row {@code row} (the row starts at {@link #offsetInPage}), or null for a mapped table:
     * lets a kernel update the row in place instead of copying it out and back.
     */
    float[] heapPage(int row) {
        return null;
    }

    /** Where row {@code row} starts in its page. */
    int offsetInPage(int row) {
        return (row & mask) * dim;
    }

    /** True when backed by a memory-mapped file. */
    public abstract boolean isMapped();

    /** Writes the table as a float32 .npy (rows × dim), atomically. */
    public void writeNpy(Path file) {
        int block = Math.max(1, Math.min(rows, 4096));
        float[] buf = new float[block * dim];
        try (Npy.RowWriter w = Npy.RowWriter.open(file, Npy.Dtype.FLOAT32, dim)) {
            for (int r = 0; r < rows; r += block) {
                int n = Math.min(block, rows - r);
                for (int i = 0; i < n; i++) {
                    read(r + i, buf, i * dim);
                }
                w.appendFloats(buf, 0, n);
            }
        }
    }

    /** Fills the table from a float32 .npy of the same shape (a checkpoint). */
    public void readNpy(Path file) {
        Npy.Header h = Npy.header(file);
        if (h.dtype() != Npy.Dtype.FLOAT32 || h.shape().length != 2 || h.rows() != rows || h.cols() != dim
                || h.fortranOrder()) {
            throw new BadInputException(file + ": expected float32 " + rows + "x" + dim + ", found " + h.dtype()
                    .numpyName() + " " + h.shapeString());
        }
        int block = Math.max(1, Math.min(rows, 4096));
        float[] row = new float[dim];
        ByteBuffer b = ByteBuffer.allocate(block * dim * 4).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long pos = h.dataOffset();
            for (int r = 0; r < rows; r += block) {
                int n = Math.min(block, rows - r);
                b.clear().limit(n * dim * 4);
                while (b.hasRemaining()) {
                    if (ch.read(b, pos + b.position()) < 0) {
                        throw new BadInputException(file + ": truncated");
                    }
                }
                b.flip();
                pos += (long) n * dim * 4;
                FloatBuffer fb = b.asFloatBuffer();
                for (int i = 0; i < n; i++) {
                    fb.get(row);
                    write(r + i, row, 0);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    @Override
    public void close() {
    }

    /**
     * Pages of heap arrays. Each page starts with {@link #PAD} unused floats: a large page is a humongous object
     * that starts on a region boundary, so with the 16-byte array header and the pad a 64-float row starts on a
     * cache line (four lines per row instead of five).
     */
    static final class Heap extends FloatTable {
        static final int PAD = 12;
        private final float[][] pages;

        Heap(int rows, int dim) {
            super(rows, dim, 1 << 24);
            int n = (int) (((long) rows + rowsPerPage() - 1) >>> shift);
            pages = new float[n][];
            for (int p = 0; p < n; p++) {
                int r = Math.min(rowsPerPage(), rows - (p << shift));
                pages[p] = new float[PAD + r * dim];
            }
        }

        @Override
        float[] heapPage(int row) {
            return pages[row >>> shift];
        }

        @Override
        int offsetInPage(int row) {
            return PAD + (row & mask) * dim;
        }

        @Override
        public float touch(int row) {
            float[] p = pages[row >>> shift];
            int base = PAD + (row & mask) * dim;
            float s = 0f;
            for (int k = 0; k < dim; k += 16) {
                s += p[base + k];
            }
            return s;
        }

        @Override
        public void read(int row, float[] dst, int off) {
            System.arraycopy(pages[row >>> shift], PAD + (row & mask) * dim, dst, off, dim);
        }

        @Override
        public void write(int row, float[] src, int off) {
            System.arraycopy(src, off, pages[row >>> shift], PAD + (row & mask) * dim, dim);
        }

        @Override
        public void addScaled(int row, float[] g, float scale, float[] scratch) {
            float[] p = pages[row >>> shift];
            int base = PAD + (row & mask) * dim;
            System.arraycopy(p, base, scratch, 0, dim);
            axpy(scale, g, scratch);
            System.arraycopy(scratch, 0, p, base, dim);
        }

        @Override
        public boolean isMapped() {
            return false;
        }
    }

    /** Pages of a memory-mapped scratch file, native byte order. */
    static final class Mapped extends FloatTable {
        private final FloatBuffer[] pages;
        private final Path file;

        Mapped(int rows, int dim, Path file) {
            super(rows, dim, 1 << 28);
            this.file = file;
            int n = (int) (((long) rows + rowsPerPage() - 1) >>> shift);
            pages = new FloatBuffer[n];
            try {
                Files.createDirectories(file.toAbsolutePath().getParent());
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                        StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                    for (int p = 0; p < n; p++) {
                        long r = Math.min(rowsPerPage(), rows - ((long) p << shift));
                        long pos = ((long) p << shift) * dim * 4;
                        MappedByteBuffer mb = ch.map(FileChannel.MapMode.READ_WRITE, pos, r * dim * 4);
                        pages[p] = mb.order(ByteOrder.nativeOrder()).asFloatBuffer();
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot map " + file, e);
            }
        }

        @Override
        public float touch(int row) {
            FloatBuffer p = pages[row >>> shift];
            int base = (row & mask) * dim;
            float s = 0f;
            for (int k = 0; k < dim; k += 16) {
                s += p.get(base + k);
            }
            return s;
        }

        @Override
        public void read(int row, float[] dst, int off) {
            pages[row >>> shift].get((row & mask) * dim, dst, off, dim);
        }

        @Override
        public void write(int row, float[] src, int off) {
            pages[row >>> shift].put((row & mask) * dim, src, off, dim);
        }

        @Override
        public void addScaled(int row, float[] g, float scale, float[] scratch) {
            FloatBuffer p = pages[row >>> shift];
            int base = (row & mask) * dim;
            p.get(base, scratch, 0, dim);
            axpy(scale, g, scratch);
            p.put(base, scratch, 0, dim);
        }

        @Override
        public boolean isMapped() {
            return true;
        }

        @Override
        public void close() {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // scratch file; best effort
            }
        }
    }
}
