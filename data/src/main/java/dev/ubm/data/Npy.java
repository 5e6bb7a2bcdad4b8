package dev.ubm.data;

import dev.ubm.core.AtomicFiles;
import dev.ubm.core.BadInputException;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * numpy {@code .npy} files (format 1.0, little-endian, no pickle) for int64, float32 and float16, byte-identical
 * to {@code np.save} for C-order arrays. Large arrays are read and written through file channels in row chunks,
 * and {@link RowWriter} appends rows without holding the array, patching the shape at the end.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int ALIGN = 64;
    private static final int GROWTH_AXIS_MAX_DIGITS = 21;
    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order':\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

    private Npy() {
    }

    /** The element types ubm reads and writes. */
    public enum Dtype {
        INT64("<i8", 8), FLOAT32("<f4", 4), FLOAT16("<f2", 2), FLOAT64("<f8", 8), INT32("<i4", 4);

        private final String descr;
        private final int size;

        Dtype(String descr, int size) {
            this.descr = descr;
            this.size = size;
        }

        public String descr() {
            return descr;
        }

        public int size() {
            return size;
        }

        /** numpy's name: int64, float32, float16... */
        public String numpyName() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Dtype ofDescr(String d, Path file) {
            String norm = d.replace("|", "<").replace("=", "<");
            for (Dtype t : values()) {
                if (t.descr.equals(norm)) {
                    return t;
                }
            }
            throw new BadInputException(file + ": unsupported dtype '" + d
                    + "' (expected int64 '<i8', float32 '<f4' or float16 '<f2'; object arrays are never loaded)");
        }
    }

    /** A parsed header: dtype, shape, order, and where the data starts. */
    public record Header(Dtype dtype, long[] shape, boolean fortranOrder, int dataOffset) {
        public long count() {
            long n = 1;
            for (long s : shape) {
                n *= s;
            }
            return n;
        }

        public long rows() {
            return shape.length == 0 ? 1 : shape[0];
        }

        public long cols() {
            return shape.length < 2 ? 1 : shape[1];
        }

        public String shapeString() {
            return shapeRepr(shape);
        }
    }

    /** A dense row-major float matrix read from or written to .npy. */
    public record FloatMatrix(int rows, int cols, float[] data) {
        public FloatMatrix {
            if ((long) rows * cols != data.length) {
                throw new IllegalArgumentException(rows + "x" + cols + " != " + data.length);
            }
        }

        public float get(int r, int c) {
            return data[r * cols + c];
        }

        public float[] row(int r) {
            return Arrays.copyOfRange(data, r * cols, (r + 1) * cols);
        }
    }

    // ---------------------------------------------------------------- header

    static String shapeRepr(long[] shape) {
        if (shape.length == 0) {
            return "()";
        }
        if (shape.length == 1) {
            return "(" + shape[0] + ",)";
        }
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return sb.append(')').toString();
    }

    /** The header bytes numpy 2.x writes for a C-order array (padding leaves room to grow axis 0). */
    static byte[] headerBytes(Dtype dtype, long[] shape) {
        StringBuilder h = new StringBuilder();
        h.append("{'descr': '").append(dtype.descr).append("', 'fortran_order': False, 'shape': ")
                .append(shapeRepr(shape)).append(", }");
        if (shape.length > 0) {
            h.append(" ".repeat(GROWTH_AXIS_MAX_DIGITS - Long.toString(shape[0]).length()));
        }
        int pad = ALIGN - ((MAGIC.length + 2 + 2 + h.length() + 1) % ALIGN);
        if (pad == ALIGN) {
            pad = 0;
        }
        h.append(" ".repeat(pad)).append('\n');
        byte[] text = h.toString().getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(MAGIC.length + 4 + text.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) text.length).put(text);
        return b.array();
    }

    /** Reads and checks the header of a .npy file. */
    public static Header header(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new BadInputException("missing file " + file);
        }
        try (InputStream in = Files.newInputStream(file)) {
            return readHeader(new DataInputStream(in), file, Files.size(file));
        } catch (IOException e) {
            throw new BadInputException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static Header readHeader(DataInputStream in, Path file, long size) throws IOException {
        byte[] magic = new byte[6];
        try {
            in.readFully(magic);
        } catch (java.io.EOFException e) {
            throw new BadInputException(file + ": not a .npy file (too short)");
        }
        if (!Arrays.equals(magic, MAGIC)) {
            throw new BadInputException(file + ": not a .npy file (bad magic bytes)");
        }
        if (size < 8) {
            throw truncatedHeader(file, 10, size);
        }
        int major = in.readUnsignedByte();
        in.readUnsignedByte();
        int len;
        int prefix = major == 1 ? 10 : 12;
        if (size < prefix) {
            throw truncatedHeader(file, prefix, size);
        }
        if (major == 1) {
            len = Short.toUnsignedInt(Short.reverseBytes(in.readShort()));
        } else if (major == 2 || major == 3) {
            len = Integer.reverseBytes(in.readInt());
        } else {
            throw new BadInputException(file + ": unsupported .npy format version " + major);
        }
        if (size < (long) prefix + len) {
            throw truncatedHeader(file, (long) prefix + len, size);
        }
        byte[] text = new byte[len];
        in.readFully(text);
        String h = new String(text, StandardCharsets.ISO_8859_1);
        Matcher d = DESCR.matcher(h);
        Matcher f = FORTRAN.matcher(h);
        Matcher s = SHAPE.matcher(h);
        if (!d.find() || !f.find() || !s.find()) {
            throw new BadInputException(file + ": malformed .npy header: " + h.trim());
        }
        String descr = d.group(1);
        if (descr.startsWith(">")) {
            throw new BadInputException(file + ": big-endian dtype '" + descr + "' is not supported");
        }
        if (descr.startsWith("|O") || descr.equals("O")) {
            throw new BadInputException(file + ": object arrays (pickle) are not allowed");
        }
        Dtype dtype = Dtype.ofDescr(descr, file);
        String[] parts = s.group(1).split(",");
        long[] shape = Arrays.stream(parts).map(String::trim).filter(p -> !p.isEmpty()).mapToLong(Long::parseLong)
                .toArray();
        return new Header(dtype, shape, f.group(1).equals("True"), prefix + len);
    }

    private static BadInputException truncatedHeader(Path file, long needs, long has) {
        return new BadInputException(file + ": npy header truncated (needs " + needs + " bytes, has " + has + ")");
    }

    // ---------------------------------------------------------------- read

    /** Reads a 1-D int64 (or int32) array. */
    public static long[] readLongs(Path file) {
        Header h = header(file);
        if (h.shape.length != 1) {
            throw new BadInputException(file + ": expected a 1-D array, found shape " + h.shapeString());
        }
        if (h.dtype != Dtype.INT64 && h.dtype != Dtype.INT32) {
            throw new BadInputException(file + ": expected dtype int64, found " + h.dtype.numpyName());
        }
        long[] out = new long[checkedInt(h.count(), file)];
        int[] i = {0};
        readData(file, h, b -> {
            while (b.hasRemaining()) {
                out[i[0]++] = h.dtype == Dtype.INT64 ? b.getLong() : b.getInt();
            }
        });
        return out;
    }

    /** Reads a 2-D (or 1-D, as one column) float array of any float dtype as float32, C order. */
    public static FloatMatrix readFloats(Path file) {
        Header h = header(file);
        if (h.shape.length < 1 || h.shape.length > 2) {
            throw new BadInputException(file + ": expected a 1-D or 2-D array, found shape " + h.shapeString());
        }
        int rows = checkedInt(h.rows(), file);
        int cols = checkedInt(h.cols(), file);
        float[] read = new float[checkedInt(h.count(), file)];
        int[] i = {0};
        readData(file, h, b -> {
            while (b.hasRemaining()) {
                read[i[0]++] = switch (h.dtype) {
                    case FLOAT32 -> b.getFloat();
                    case FLOAT16 -> Float16.toFloat(b.getShort());
                    case FLOAT64 -> (float) b.getDouble();
                    case INT64 -> b.getLong();
                    case INT32 -> b.getInt();
                };
            }
        });
        float[] out = read;
        if (h.fortranOrder && h.shape.length == 2) {
            float[] c = new float[out.length];
            for (int r = 0; r < rows; r++) {
                for (int k = 0; k < cols; k++) {
                    c[r * cols + k] = out[k * rows + r];
                }
            }
            out = c;
        }
        return new FloatMatrix(rows, cols, out);
    }

    /** Bytes of the data read per chunk: the data is decoded chunk by chunk, so no byte array holds all of it. */
    static final int READ_CHUNK = 1 << 24;

    /**
     * Passes the data of {@code file} to {@code sink} in consecutive little-endian chunks of whole elements, so an
     * array of more than 2 GB of data (a Java byte array's limit) reads as well as a small one.
     */
    private static void readData(Path file, Header h, java.util.function.Consumer<ByteBuffer> sink) {
        long bytes = h.count() * h.dtype.size;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            if (ch.size() < h.dataOffset + bytes) {
                throw new BadInputException(file + ": truncated: header says shape " + h.shapeString() + " ("
                        + bytes + " data bytes) but the file has " + (ch.size() - h.dataOffset));
            }
            int chunk = (int) Math.min(bytes, READ_CHUNK / h.dtype.size * h.dtype.size);
            ByteBuffer b = ByteBuffer.allocate(chunk).order(ByteOrder.LITTLE_ENDIAN);
            long pos = 0;
            while (pos < bytes) {
                b.clear();
                b.limit((int) Math.min(chunk, bytes - pos));
                while (b.hasRemaining()) {
                    if (ch.read(b, h.dataOffset + pos + b.position()) < 0) {
                        throw new BadInputException(file + ": truncated while reading its data at byte "
                                + (h.dataOffset + pos + b.position()));
                    }
                }
                b.flip();
                pos += b.limit();
                sink.accept(b);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static int checkedInt(long n, Path file) {
        if (n > Integer.MAX_VALUE - 16) {
            throw new BadInputException(file + ": array too large to read at once (" + n + " elements)");
        }
        return (int) n;
    }

    // ---------------------------------------------------------------- write

    /** Writes a 1-D int64 array, atomically. */
    public static void writeLongs(Path file, long[] values) {
        try (RowWriter w = RowWriter.open(file, Dtype.INT64, 0)) {
            w.appendLongs(values);
        }
    }

    /** Writes a rows×cols float32 matrix, atomically. */
    public static void writeFloat32(Path file, float[] data, int rows, int cols) {
        try (RowWriter w = RowWriter.open(file, Dtype.FLOAT32, cols)) {
            w.appendFloats(data, 0, rows);
        }
    }

    /** Writes a rows×cols float16 matrix, atomically; throws if a value is NaN/Inf or overflows float16. */
    public static void writeFloat16(Path file, float[] data, int rows, int cols) {
        try (RowWriter w = RowWriter.open(file, Dtype.FLOAT16, cols)) {
            w.appendFloats(data, 0, rows);
        }
    }

    public static void write(Path file, FloatMatrix m, Dtype dtype) {
        try (RowWriter w = RowWriter.open(file, dtype, m.cols())) {
            w.appendFloats(m.data(), 0, m.rows());
        }
    }

    /**
     * Streams rows into a .npy file: writes to a temp file beside the target, and on {@link #close} patches the
     * row count into the header and renames. Use {@link #abort} (or let an exception escape a try block after
     * calling it) to leave nothing behind. cols = 0 means a 1-D array.
     */
    public static final class RowWriter implements AutoCloseable {
        private final Path target;
        private final Path tmp;
        private final Dtype dtype;
        private final int cols;
        private final FileChannel ch;
        private final int headerLen;
        private final ByteBuffer buf = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
        private long elements;
        private boolean done;

        private RowWriter(Path target, Dtype dtype, int cols) throws IOException {
            this.target = target;
            this.tmp = AtomicFiles.tempBeside(target);
            this.dtype = dtype;
            this.cols = cols;
            Files.createDirectories(tmp.getParent());
            this.ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            byte[] h = headerBytes(dtype, shape(0));
            this.headerLen = h.length;
            ch.write(ByteBuffer.wrap(h));
        }

        public static RowWriter open(Path target, Dtype dtype, int cols) {
            if (dtype != Dtype.INT64 && dtype != Dtype.FLOAT32 && dtype != Dtype.FLOAT16) {
                throw new IllegalArgumentException("ubm writes int64, float32 or float16, not " + dtype);
            }
            try {
                return new RowWriter(target, dtype, cols);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + target, e);
            }
        }

        private long[] shape(long rows) {
            return cols == 0 ? new long[] {rows} : new long[] {rows, cols};
        }

        public void appendLongs(long[] v) {
            if (dtype != Dtype.INT64) {
                throw new IllegalStateException("not an int64 writer");
            }
            for (long x : v) {
                ensure(8);
                buf.putLong(x);
            }
            elements += v.length;
        }

        /** Appends {@code rows} rows of {@code cols} floats from {@code data} starting at row {@code fromRow}. */
        public void appendFloats(float[] data, int fromRow, int rows) {
            int width = Math.max(cols, 1);
            int start = fromRow * width;
            int n = rows * width;
            for (int i = 0; i < n; i++) {
                float v = data[start + i];
                if (!Float.isFinite(v) || (dtype == Dtype.FLOAT16 && Math.abs(v) > Float16.MAX)) {
                    abort();
                    throw new BadInputException(target + ": value " + v + " at row " + (elements / width + i / width)
                            + ", column " + (i % width) + " is " + (Float.isFinite(v) ? "beyond the float16 range ±65504"
                                    : "not finite"));
                }
                if (dtype == Dtype.FLOAT16) {
                    ensure(2);
                    buf.putShort(Float16.fromFloat(v));
                } else {
                    ensure(4);
                    buf.putFloat(v);
                }
            }
            elements += n;
        }

        /** Appends one row. */
        public void appendRow(float[] row) {
            if (row.length != cols) {
                throw new IllegalArgumentException("row has " + row.length + " values, expected " + cols);
            }
            appendFloats(row, 0, 1);
        }

        public long rows() {
            return elements / Math.max(cols, 1);
        }

        private void ensure(int n) {
            if (buf.remaining() < n) {
                flush();
            }
        }

        private void flush() {
            buf.flip();
            try {
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
            } catch (IOException e) {
                abort();
                throw new UncheckedIOException("cannot write " + target, e);
            }
            buf.clear();
        }

        /** Deletes the temp file; the target is untouched. */
        public void abort() {
            if (done) {
                return;
            }
            done = true;
            try {
                ch.close();
            } catch (IOException ignored) {
                // best effort
            }
            AtomicFiles.deleteQuietly(tmp);
        }

        @Override
        public void close() {
            if (done) {
                return;
            }
            flush();
            try {
                byte[] h = headerBytes(dtype, shape(rows()));
                if (h.length != headerLen) {
                    throw new IllegalStateException("npy header length changed");
                }
                ch.write(ByteBuffer.wrap(h), 0);
                ch.force(false);
                ch.close();
                done = true;
                AtomicFiles.commit(tmp, target);
            } catch (IOException e) {
                abort();
                throw new UncheckedIOException("cannot write " + target, e);
            }
        }
    }

    /** Writes raw bytes as a .npy with the given header to a stream (used for golden-byte tests). */
    static void writeTo(OutputStream out, Dtype dtype, long[] shape, ByteBuffer data) throws IOException {
        out.write(headerBytes(dtype, shape));
        out.write(data.array(), 0, data.limit());
    }
}
