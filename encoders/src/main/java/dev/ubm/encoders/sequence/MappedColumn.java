package dev.ubm.encoders.sequence;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A read-only, memory-mapped column of fixed-width little-endian values (int8, int32 or int64), mapped in 1 GiB
 * chunks so columns larger than 2 GiB work. The corpus of a million clients lives in the page cache, not on the
 * heap. {@link Writer} appends values through a buffer.
 */
final class MappedColumn {
    private static final int CHUNK_SHIFT = 30;
    private static final long CHUNK = 1L << CHUNK_SHIFT;
    private final MappedByteBuffer[] chunks;
    private final long bytes;

    private MappedColumn(MappedByteBuffer[] chunks, long bytes) {
        this.chunks = chunks;
        this.bytes = bytes;
    }

    static MappedColumn open(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            int n = (int) ((size + CHUNK - 1) / CHUNK);
            MappedByteBuffer[] chunks = new MappedByteBuffer[Math.max(n, 1)];
            for (int i = 0; i < n; i++) {
                long pos = i * CHUNK;
                chunks[i] = ch.map(FileChannel.MapMode.READ_ONLY, pos, Math.min(CHUNK, size - pos));
                chunks[i].order(ByteOrder.LITTLE_ENDIAN);
            }
            if (n == 0) {
                chunks[0] = ch.map(FileChannel.MapMode.READ_ONLY, 0, 0);
            }
            return new MappedColumn(chunks, size);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot map " + file, e);
        }
    }

    long bytes() {
        return bytes;
    }

    byte getByte(long i) {
        return chunks[(int) (i >>> CHUNK_SHIFT)].get((int) (i & (CHUNK - 1)));
    }

    int getInt(long i) {
        long b = i << 2;
        return chunks[(int) (b >>> CHUNK_SHIFT)].getInt((int) (b & (CHUNK - 1)));
    }

    long getLong(long i) {
        long b = i << 3;
        return chunks[(int) (b >>> CHUNK_SHIFT)].getLong((int) (b & (CHUNK - 1)));
    }

    /** Appends little-endian values to a file. */
    static final class Writer implements AutoCloseable {
        private final OutputStream out;
        private final ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);

        Writer(Path file) {
            try {
                out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + file, e);
            }
        }

        void putByte(int v) {
            ensure(1);
            buf.put((byte) v);
        }

        void putInt(int v) {
            ensure(4);
            buf.putInt(v);
        }

        void putLong(long v) {
            ensure(8);
            buf.putLong(v);
        }

        private void ensure(int n) {
            if (buf.remaining() < n) {
                flush();
            }
        }

        private void flush() {
            try {
                out.write(buf.array(), 0, buf.position());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            buf.clear();
        }

        @Override
        public void close() {
            flush();
            try {
                out.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
