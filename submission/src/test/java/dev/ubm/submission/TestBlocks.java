package dev.ubm.submission;

import dev.ubm.core.BlockDir;
import dev.ubm.data.Npy;

import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

/** Writes small block dirs for the combine tests. */
final class TestBlocks {
    private TestBlocks() {
    }

    static Path write(Path dir, String component, long[] ids, float[] x, int cols) {
        BlockDir b = new BlockDir(dir);
        b.createDirs();
        Npy.writeLongs(b.clientIdsFile(), ids);
        Npy.writeFloat32(b.embeddingsFile(), x, ids.length, cols);
        b.writeMeta(BlockDir.Meta.of(component, cols, ids.length, "float32", Map.of(), 0, "test", 0));
        return dir;
    }

    static long[] ids(int n) {
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) {
            ids[i] = 1000 + 7L * i;
        }
        return ids;
    }

    static float[] gaussian(int rows, int cols, long seed) {
        Random r = new Random(seed);
        float[] x = new float[rows * cols];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return x;
    }
}
