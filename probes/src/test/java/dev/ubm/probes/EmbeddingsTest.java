package dev.ubm.probes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ubm.core.BadInputException;
import dev.ubm.core.ExitCode;
import dev.ubm.data.Npy;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddingsTest {
    private static final long[] RELEVANT = {11, 22, 33, 44};

    private static Path block(Path dir, long[] ids, float[] emb, int dims) {
        Npy.writeLongs(dir.resolve("client_ids.npy"), ids);
        Npy.writeFloat32(dir.resolve("embeddings.npy"), emb, emb.length / dims, dims);
        return dir;
    }

    private static BadInputException fails(Path dir, int maxDims) {
        BadInputException e = assertThrows(BadInputException.class, () -> Embeddings.open(dir, RELEVANT, maxDims));
        assertEquals(ExitCode.BAD_INPUT, e.exitCode());
        return e;
    }

    @Test
    void aGoodBlockPassesAndKeepsItsRowOrder(@TempDir Path dir) {
        block(dir, new long[] {33, 11, 44, 22}, new float[] {3, 3, 1, 1, 4, 4, 2, 2}, 2);
        Embeddings.Checked c = Embeddings.open(dir, RELEVANT, 2048);
        assertEquals(4, c.embeddings().rows());
        assertEquals(2, c.embeddings().dims());
        assertEquals(4f, c.embeddings().row(2)[0]);
        assertEquals(33, c.clientIds()[0]);
    }

    @Test
    void missingFilesAndDirsAreBadInput(@TempDir Path dir) {
        assertTrue(fails(dir.resolve("nope"), 2048).getMessage().contains("does not exist"));
        BadInputException e = fails(dir, 2048);
        assertEquals(2, e.problems().size());
    }

    @Test
    void float16IsReadAsFloat32(@TempDir Path dir) {
        Npy.writeLongs(dir.resolve("client_ids.npy"), RELEVANT);
        Npy.writeFloat16(dir.resolve("embeddings.npy"), new float[] {1.5f, -2f, 0.25f, 65504f}, 4, 1);
        Embeddings.Checked c = Embeddings.open(dir, RELEVANT, 2048);
        assertEquals(65504f, c.embeddings().row(3)[0]);
        assertEquals(-2f, c.embeddings().row(1)[0]);
    }

    @Test
    void theRandomControlIsReproducibleAndStandardNormal() {
        Embeddings a = Embeddings.randomGaussian(2000, 16, 7);
        Embeddings b = Embeddings.randomGaussian(2000, 16, 7);
        assertEquals(a.row(1234)[5], b.row(1234)[5]);
        double s = 0;
        double ss = 0;
        for (int r = 0; r < 2000; r++) {
            for (float v : a.row(r)) {
                s += v;
                ss += v * v;
            }
        }
        assertEquals(0, s / 32000, 0.03);
        assertEquals(1, ss / 32000, 0.05);
    }
}
