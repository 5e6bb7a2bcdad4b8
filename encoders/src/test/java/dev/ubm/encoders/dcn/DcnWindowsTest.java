package dev.ubm.encoders.dcn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ubm.core.BlockDir;
import dev.ubm.core.Task;
import dev.ubm.data.Npy;

import java.nio.file.Path;
import java.util.Map;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DcnWindowsTest {
    @Test
    void windowsStackRowWiseWithTheirLabelsAndMasks() {
        long[] ids = {7, 8};
        DcnInputs a = DcnInputs.of(ids, new float[] {1, 2, 3, 4}, 2, null, 0);
        DcnInputs b = DcnInputs.of(ids, new float[] {5, 6, 7, 8}, 2, null, 0);
        DcnInputs s = DcnInputs.stack(List.of(a, b));
        assertArrayEquals(new long[] {7, 8, 7, 8}, s.clientIds());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, s.features());
        List<DcnEncoder.Head> h = DcnEncoder.Head.stack(List.of(
                List.of(DcnEncoder.Head.of(Task.CHURN, 1, new float[] {1, 0}, new float[] {1, 0}),
                        DcnEncoder.Head.of(Task.CONVERSION, 1, new float[] {1, 0}, null)),
                List.of(DcnEncoder.Head.of(Task.CHURN, 1, new float[] {0, 1}, new float[] {0, 1}),
                        DcnEncoder.Head.of(Task.CONVERSION, 1, new float[] {0, 0}, null))));
        assertArrayEquals(new float[] {1, 0, 0, 1}, h.get(0).labels());
        assertArrayEquals(new float[] {1, 0, 0, 1}, h.get(0).mask());
        assertArrayEquals(new float[] {1, 0, 0, 0}, h.get(1).labels());
        assertNull(h.get(1).mask());
    }

    @Test
    void holdoutKeepsAllRowsOfAClientOnOneSide() {
        long[] ids = new long[200];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = i % 100; // two windows of the same 100 clients
        }
        int[][] split = DcnEncoder.holdoutByClient(ids, 0.1f, 16, new Random(1));
        assertEquals(20, split[0].length, "10 clients x 2 windows");
        assertEquals(180, split[1].length);
        Set<Long> held = new HashSet<>();
        for (int r : split[0]) {
            held.add(ids[r]);
        }
        for (int r : split[1]) {
            assertTrue(!held.contains(ids[r]), "client " + ids[r] + " on both sides");
        }
    }

    @Test
    void aNarrowerHeadInOneWindowIsPaddedWithZeroLabels() {
        // a new-sku proxy list of 2 skus in the first window, 3 in the second
        List<DcnEncoder.Head> h = DcnEncoder.Head.stack(List.of(
                List.of(DcnEncoder.Head.of(Task.PROPENSITY_NEW_SKU, 2, new float[] {1, 0, 0, 1}, null)),
                List.of(DcnEncoder.Head.of(Task.PROPENSITY_NEW_SKU, 3, new float[] {0, 0, 1}, null))));
        assertEquals(3, h.get(0).outputs());
        assertArrayEquals(new float[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, h.get(0).labels());
    }

    private static BlockDir block(Path dir, long[] ids, float[] x, int cols) {
        BlockDir b = new BlockDir(dir);
        b.createDirs();
        Npy.writeLongs(b.clientIdsFile(), ids);
        Npy.writeFloat32(b.embeddingsFile(), x, ids.length, cols);
        b.writeMeta(BlockDir.Meta.of("test", cols, ids.length, "float32", Map.of(), 0, "", 0));
        return b;
    }

    @Test
    void sideBlocksAreConcatenatedInOrderAndMissingRowsCountPerBlock(@TempDir Path tmp) {
        BlockDir feat = block(tmp.resolve("f"), new long[] {1, 2, 3}, new float[] {1, 2, 3}, 1);
        BlockDir a = block(tmp.resolve("a"), new long[] {3, 1}, new float[] {30, 31, 10, 11}, 2);
        BlockDir b = block(tmp.resolve("b"), new long[] {2, 1, 3}, new float[] {200, 100, 300}, 1);
        DcnInputs x = DcnInputs.load(new long[] {1, 2, 3}, feat, List.of(a, b));
        assertEquals(3, x.sideDims());
        assertArrayEquals(new float[] {10, 11, 100, 0, 0, 200, 30, 31, 300}, x.side(), "client 2 lacks in a: zeros");
        assertArrayEquals(new int[] {1, 0}, x.missingSideRows());
        DcnInputs stacked = DcnInputs.stack(List.of(x, x));
        assertArrayEquals(new int[] {2, 0}, stacked.missingSideRows());
    }
}
