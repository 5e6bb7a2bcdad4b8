package dev.ubm.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ubm.core.BadInputException;
import dev.ubm.core.Fixtures;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {
    @TempDir
    Path tmp;

    private static Path fx(String name) {
        return Fixtures.file("npy/" + name);
    }

    @Test
    void readsNumpyInt64AndWritesIdenticalBytes() throws Exception {
        long[] v = Npy.readLongs(fx("int64_1d.npy"));
        assertEquals(5, v.length);
        Path out = tmp.resolve("a.npy");
        Npy.writeLongs(out, v);
        assertArrayEquals(Files.readAllBytes(fx("int64_1d.npy")), Files.readAllBytes(out));
    }

    @Test
    void arraysLongerThanOneReadChunkReadWhole() {
        // the data is decoded chunk by chunk (no byte array of the whole data, which caps at 2 GB): values that
        // cross chunk boundaries, in every dtype size, come back exactly
        int rows = Npy.READ_CHUNK / 4 / 7 * 2 + 3;
        float[] v = new float[rows * 7];
        long[] ids = new long[Npy.READ_CHUNK / 8 * 2 + 5];
        for (int i = 0; i < v.length; i++) {
            v[i] = (i % 1000) * 0.25f - 100f;
        }
        for (int i = 0; i < ids.length; i++) {
            ids[i] = 3L * i - 7;
        }
        Path f32 = tmp.resolve("big32.npy");
        Path f16 = tmp.resolve("big16.npy");
        Path i64 = tmp.resolve("big64.npy");
        Npy.writeFloat32(f32, v, rows, 7);
        Npy.writeFloat16(f16, v, rows, 7);
        Npy.writeLongs(i64, ids);
        assertArrayEquals(v, Npy.readFloats(f32).data());
        assertArrayEquals(v, Npy.readFloats(f16).data(), "quarter steps up to 150 are exact in float16");
        assertArrayEquals(ids, Npy.readLongs(i64));
    }

    @Test
    void emptyArraysRoundTripByteForByte() throws Exception {
        assertEquals(0, Npy.readLongs(fx("int64_empty.npy")).length);
        Path out = tmp.resolve("e.npy");
        Npy.writeLongs(out, new long[0]);
        assertArrayEquals(Files.readAllBytes(fx("int64_empty.npy")), Files.readAllBytes(out));

        Npy.FloatMatrix m = Npy.readFloats(fx("float16_empty.npy"));
        assertEquals(0, m.rows());
        assertEquals(4, m.cols());
        Path out2 = tmp.resolve("e16.npy");
        Npy.writeFloat16(out2, m.data(), 0, 4);
        assertArrayEquals(Files.readAllBytes(fx("float16_empty.npy")), Files.readAllBytes(out2));
    }

    @Test
    void float32AndFloat16MatricesMatchNumpyBytes() throws Exception {
        Npy.FloatMatrix f32 = Npy.readFloats(fx("float32_2d.npy"));
        assertEquals(2, f32.rows());
        assertEquals(3, f32.cols());
        Path o32 = tmp.resolve("f32.npy");
        Npy.writeFloat32(o32, f32.data(), 2, 3);
        assertArrayEquals(Files.readAllBytes(fx("float32_2d.npy")), Files.readAllBytes(o32));

        Npy.FloatMatrix f16 = Npy.readFloats(fx("float16_2d.npy"));
        Path o16 = tmp.resolve("f16.npy");
        Npy.writeFloat16(o16, f16.data(), 2, 3);
        assertArrayEquals(Files.readAllBytes(fx("float16_2d.npy")), Files.readAllBytes(o16));
    }

    @Test
    void fortranOrderIsTransposedToRowMajor() {
        Path f = fx("float32_fortran_order.npy");
        assertTrue(Npy.header(f).fortranOrder());
        Npy.FloatMatrix m = Npy.readFloats(f); // numpy: [[0, 1, 2], [3, 4, 5]]
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5}, m.data());
    }

    @Test
    void headersAreAlignedTo64Bytes() {
        for (long rows : new long[] {0, 1, 123456789012L}) {
            byte[] h = Npy.headerBytes(Npy.Dtype.FLOAT16, new long[] {rows, 2048});
            assertEquals(0, h.length % 64);
            assertEquals('\n', h[h.length - 1]);
        }
    }

    @Test
    void float16ConversionRoundsToNearestEven() {
        assertEquals(1.0f, Float16.toFloat(Float16.fromFloat(1.0f)));
        assertEquals(65504f, Float16.toFloat(Float16.fromFloat(65504f)));
        assertTrue(Float.isInfinite(Float16.toFloat(Float16.fromFloat(65520f))));
        assertEquals((short) 0x3c00, Float16.fromFloat(1.0f + 0x1p-11f)); // tie → even
        assertEquals((short) 0x3c02, Float16.fromFloat(1.0f + 3 * 0x1p-11f)); // tie → even (up)
        assertEquals(5.9604645e-8f, Float16.toFloat(Float16.fromFloat(5.9604645e-8f))); // smallest subnormal
        for (short h = 0; h < 0x7c00; h += 7) {
            assertEquals(h, Float16.fromFloat(Float16.toFloat(h)));
        }
    }

    @Test
    void float16WriterRefusesOverflowAndNanAndLeavesNoFile() throws Exception {
        Path out = tmp.resolve("bad.npy");
        BadInputException e = assertThrows(BadInputException.class,
                () -> Npy.writeFloat16(out, new float[] {1f, 70000f}, 1, 2));
        assertTrue(e.getMessage().contains("column 1"), e.getMessage());
        assertThrows(BadInputException.class, () -> Npy.writeFloat32(out, new float[] {Float.NaN}, 1, 1));
        assertFalse(Files.exists(out));
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(0, s.count(), "no temp files left behind");
        }
    }

    @Test
    void rejectsNonNpyAndWrongShapesWithFileName() throws Exception {
        Path junk = tmp.resolve("junk.npy");
        Files.writeString(junk, "hello world");
        BadInputException e = assertThrows(BadInputException.class, () -> Npy.readLongs(junk));
        assertTrue(e.getMessage().contains("junk.npy"));
        BadInputException e2 = assertThrows(BadInputException.class, () -> Npy.readLongs(fx("float32_2d.npy")));
        assertTrue(e2.getMessage().contains("1-D"), e2.getMessage());
    }

    @Test
    void rowWriterStreamsRows() {
        Path out = tmp.resolve("rows.npy");
        try (Npy.RowWriter w = Npy.RowWriter.open(out, Npy.Dtype.FLOAT32, 3)) {
            for (int i = 0; i < 1000; i++) {
                w.appendRow(new float[] {i, i + 0.5f, -i});
            }
        }
        Npy.FloatMatrix m = Npy.readFloats(out);
        assertEquals(1000, m.rows());
        assertEquals(999.5f, m.get(999, 1));
    }
}
