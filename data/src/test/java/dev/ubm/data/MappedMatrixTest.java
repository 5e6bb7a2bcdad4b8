package dev.ubm.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ubm.core.BadInputException;
import dev.ubm.core.Fixtures;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MappedMatrixTest {
    @TempDir
    Path tmp;

    @Test
    void readsNumpyFloat32AndFloat16RowsAsNpyReadsThem() {
        for (String name : new String[] {"float32_2d.npy", "float16_2d.npy"}) {
            Path f = Fixtures.file("npy/" + name);
            Npy.FloatMatrix all = Npy.readFloats(f);
            MappedMatrix m = MappedMatrix.open(f);
            assertEquals(all.rows(), m.rows());
            assertEquals(all.cols(), m.cols());
            float[] row = new float[m.cols()];
            for (int r = 0; r < m.rows(); r++) {
                m.row(r, row);
                assertArrayEquals(Arrays.copyOfRange(all.data(), r * all.cols(), (r + 1) * all.cols()), row, name);
            }
        }
    }

    @Test
    void rowWithOffsetFillsThatSlice() {
        Path f = tmp.resolve("m.npy");
        Npy.writeFloat32(f, new float[] {1, 2, 3, 4, 5, 6}, 3, 2);
        float[] out = new float[5];
        MappedMatrix.open(f).row(2, out, 3);
        assertArrayEquals(new float[] {0, 0, 0, 5, 6}, out);
    }

    @Test
    void refusesWhatIsNotAC2dFloatArrayNamingTheFile() {
        Path ints = Fixtures.file("npy/int64_1d.npy");
        BadInputException e = assertThrows(BadInputException.class, () -> MappedMatrix.open(ints));
        assertTrue(e.getMessage().contains(ints.toString()) && e.getMessage().contains("2-D"), e.getMessage());
        Path fortran = Fixtures.file("npy/float32_fortran_order.npy");
        e = assertThrows(BadInputException.class, () -> MappedMatrix.open(fortran));
        assertTrue(e.getMessage().contains("Fortran"), e.getMessage());
    }

    @Test
    void aTruncatedFileSaysHowManyBytesItNeeds() throws Exception {
        Path f = tmp.resolve("t.npy");
        Npy.writeFloat32(f, new float[20], 4, 5);
        byte[] b = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(b, b.length - 8));
        BadInputException e = assertThrows(BadInputException.class, () -> MappedMatrix.open(f));
        assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains("needs"), e.getMessage());
    }
}
