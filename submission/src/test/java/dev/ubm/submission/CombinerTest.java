package dev.ubm.submission;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ubm.core.BadInputException;
import dev.ubm.core.BlockDir;
import dev.ubm.core.Progress;
import dev.ubm.data.BlockCheck;
import dev.ubm.data.Npy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CombinerTest {
    @TempDir
    Path tmp;

    @BeforeAll
    static void quiet() {
        Progress.setEnabled(false);
    }

    private static int rowOf(long[] ids, long id) {
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] == id) {
                return i;
            }
        }
        throw new AssertionError("no id " + id);
    }

    @Test
    void writesAValidFloat16SubmissionWhoseRowsFollowTheShuffledIds() {
        long[] ids = TestBlocks.ids(40);
        float[] x = new float[40 * 3];
        for (int i = 0; i < 40; i++) {
            x[i * 3] = i;
            x[i * 3 + 1] = -i / 4f;
            x[i * 3 + 2] = 1;
        }
        Path a = TestBlocks.write(tmp.resolve("a"), "seq", ids, x, 3);
        Path out = tmp.resolve("sub");
        CombineConfig cfg = CombineConfig.defaults(List.of(BlockSpec.of(a).withScaling(Scaling.NONE)), 5);
        Combiner.combine(cfg, ids, out);
        Npy.writeLongs(tmp.resolve("relevant.npy"), ids);
        assertTrue(BlockCheck.check(out, ids, BlockCheck.Rules.submission(2048)).ok());
        long[] got = Npy.readLongs(out.resolve("client_ids.npy"));
        assertFalse(Arrays.equals(ids, got), "rows are shuffled");
        Npy.FloatMatrix m = Npy.readFloats(out.resolve("embeddings.npy"));
        for (int r = 0; r < got.length; r++) {
            int i = (int) ((got[r] - 1000) / 7);
            assertEquals(i, m.get(r, 0));
            assertEquals(-i / 4f, m.get(r, 1));
        }
        BlockDir.Meta meta = new BlockDir(out).readMeta();
        assertEquals("submission", meta.component());
        assertEquals("float16", meta.dtype());
    }

    @Test
    void theShuffleDependsOnlyOnTheSeed() throws Exception {
        long[] ids = TestBlocks.ids(30);
        Path a = TestBlocks.write(tmp.resolve("a"), "seq", ids, TestBlocks.gaussian(30, 4, 1), 4);
        Combiner.combine(CombineConfig.defaults(List.of(BlockSpec.of(a)), 1), ids, tmp.resolve("s1"));
        Combiner.combine(CombineConfig.defaults(List.of(BlockSpec.of(a)), 1), ids, tmp.resolve("s2"));
        Combiner.combine(CombineConfig.defaults(List.of(BlockSpec.of(a)), 2), ids, tmp.resolve("s3"));
        assertArrayEquals(Files.readAllBytes(tmp.resolve("s1/client_ids.npy")),
                Files.readAllBytes(tmp.resolve("s2/client_ids.npy")));
        assertArrayEquals(Files.readAllBytes(tmp.resolve("s1/embeddings.npy")),
                Files.readAllBytes(tmp.resolve("s2/embeddings.npy")));
        assertFalse(Arrays.equals(Npy.readLongs(tmp.resolve("s1/client_ids.npy")),
                Npy.readLongs(tmp.resolve("s3/client_ids.npy"))));
    }

    @Test
    void clientsMissingFromABlockGetItsMeanRow() {
        long[] ids = TestBlocks.ids(5);
        long[] fewer = Arrays.copyOf(ids, 4);
        float[] x = {1, 10, 2, 20, 3, 30, 6, 60};
        Path a = TestBlocks.write(tmp.resolve("a"), "seq", fewer, x, 2);
        Path out = tmp.resolve("sub");
        List<Combiner.BlockReport> rep = Combiner.combine(
                CombineConfig.defaults(List.of(BlockSpec.of(a).withScaling(Scaling.NONE)), 3), ids, out);
        assertEquals(1, rep.get(0).missingClients());
        long[] got = Npy.readLongs(out.resolve("client_ids.npy"));
        Npy.FloatMatrix m = Npy.readFloats(out.resolve("embeddings.npy"));
        int r = rowOf(got, ids[4]);
        assertEquals(3, m.get(r, 0));
        assertEquals(30, m.get(r, 1));
    }

    @Test
    void extraClientsOfABlockAreIgnored() {
        long[] ids = TestBlocks.ids(6);
        Path a = TestBlocks.write(tmp.resolve("a"), "seq", ids, TestBlocks.gaussian(6, 2, 3), 2);
        List<Combiner.BlockReport> rep = Combiner.combine(CombineConfig.defaults(List.of(BlockSpec.of(a)), 3),
                Arrays.copyOf(ids, 4), tmp.resolve("sub"));
        assertEquals(2, rep.get(0).extraClients());
        assertEquals(4, Npy.readLongs(tmp.resolve("sub/client_ids.npy")).length);
    }

    @Test
    void refusesMoreThanMaxDimsWithAClearMessage() {
        long[] ids = TestBlocks.ids(20);
        Path a = TestBlocks.write(tmp.resolve("a"), "seq", ids, TestBlocks.gaussian(20, 50, 1), 50);
        Path b = TestBlocks.write(tmp.resolve("b"), "gnn", ids, TestBlocks.gaussian(20, 40, 2), 40);
        CombineConfig cfg = CombineConfig.defaults(List.of(BlockSpec.of(a), BlockSpec.of(b)), 1).withMaxDims(64);
        BadInputException e = assertThrows(BadInputException.class, () -> Combiner.combine(cfg, ids, tmp.resolve("s")));
        assertTrue(e.getMessage().contains("90 dims, more than --max-dims 64"), e.getMessage());
        assertTrue(e.getMessage().contains("a: 50 -> 50 dims"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("s/embeddings.npy")));
        // PCA of the wide block makes it fit
        CombineConfig fits = new CombineConfig(List.of(BlockSpec.of(a).withPcaDims(16), BlockSpec.of(b)), 64, 1024,
                256, 1000, 1000, 0, 1);
        Combiner.combine(fits, ids, tmp.resolve("s"));
        assertEquals(56, new BlockDir(tmp.resolve("s")).readMeta().dims());
    }

    @Test
    void blocksWiderThanThePcaThresholdAreReducedByPca() {
        long[] ids = TestBlocks.ids(30);
        Path a = TestBlocks.write(tmp.resolve("a"), "seq", ids, TestBlocks.gaussian(30, 1100, 1), 1100);
        CombineConfig cfg = CombineConfig.defaults(List.of(BlockSpec.of(a)), 1).withPca(1024, 8);
        List<Combiner.BlockReport> rep = Combiner.combine(cfg, ids, tmp.resolve("s"));
        assertTrue(rep.get(0).pca());
        assertEquals(8, rep.get(0).dimsOut());
        Npy.Header h = Npy.header(tmp.resolve("s/embeddings.npy"));
        assertArrayEquals(new long[] {30, 8}, h.shape());
    }

    @Test
    void float16OverflowIsAClearError() {
        long[] ids = TestBlocks.ids(3);
        Path a = TestBlocks.write(tmp.resolve("big"), "seq", ids, new float[] {1, 2, 70000, 4, 5, 6}, 2);
        CombineConfig cfg = CombineConfig.defaults(List.of(BlockSpec.of(a).withScaling(Scaling.NONE)), 1);
        BadInputException e = assertThrows(BadInputException.class, () -> Combiner.combine(cfg, ids, tmp.resolve("s")));
        assertTrue(e.getMessage().contains("float16 range"), e.getMessage());
        assertTrue(e.getMessage().contains("block big"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("s/embeddings.npy")));
        assertFalse(Files.exists(tmp.resolve("s/block.json")));
    }

    @Test
    void scalingByComponentL2ForLearnedBlocksStandardForFeatures() {
        long[] ids = TestBlocks.ids(50);
        Path seq = TestBlocks.write(tmp.resolve("seq"), "seq", ids, TestBlocks.gaussian(50, 4, 1), 4);
        float[] counts = TestBlocks.gaussian(50, 3, 2);
        for (int i = 0; i < counts.length; i++) {
            counts[i] = (float) Math.floor(Math.exp(2 * counts[i]));
        }
        Path feat = TestBlocks.write(tmp.resolve("feat"), "features", ids, counts, 3);
        Path feat2 = TestBlocks.write(tmp.resolve("feat2"), "features", ids, counts, 3);
        List<Combiner.BlockReport> rep = Combiner.combine(CombineConfig.defaults(List.of(BlockSpec.of(seq),
                BlockSpec.of(feat).withWeight(2).withScaling(Scaling.QUANTILE), BlockSpec.of(feat2)), 1), ids,
                tmp.resolve("s"));
        assertEquals(Scaling.L2, rep.get(0).scaling());
        assertEquals(Scaling.QUANTILE, rep.get(1).scaling());
        assertEquals(Scaling.STANDARD, rep.get(2).scaling());
        Npy.FloatMatrix m = Npy.readFloats(tmp.resolve("s/embeddings.npy"));
        for (int r = 0; r < 50; r++) {
            double ss = 0;
            for (int j = 0; j < 4; j++) {
                ss += m.get(r, j) * m.get(r, j);
            }
            assertEquals(4, ss, 1e-2, "l2 rows have norm sqrt(dims)");
            for (int j = 4; j < 7; j++) {
                assertTrue(m.get(r, j) >= 0 && m.get(r, j) <= 2, "weight 2 x uniform [0, 1]");
            }
            for (int j = 7; j < 10; j++) {
                assertTrue(Math.abs(m.get(r, j)) <= 5, "standard scaling clips at 5 by default");
            }
        }
        for (int j = 7; j < 10; j++) {
            double mean = 0;
            for (int r = 0; r < 50; r++) {
                mean += m.get(r, j) / 50;
            }
            assertEquals(0, mean, 0.25);
        }
    }

    @Test
    void aSubmissionCombinedAloneKeepsItsValuesEvenWiderThanThePcaThreshold() {
        long[] ids = TestBlocks.ids(30);
        Path seq = TestBlocks.write(tmp.resolve("seq"), "seq", ids, TestBlocks.gaussian(30, 3, 4), 3);
        Path feat = TestBlocks.write(tmp.resolve("feat"), "features", ids, TestBlocks.gaussian(30, 2, 5), 2);
        Path sub = tmp.resolve("sub");
        Combiner.combine(CombineConfig.defaults(List.of(BlockSpec.of(seq), BlockSpec.of(feat)), 1), ids, sub);
        // 5 columns, above a PCA threshold of 4: a submission is still not reduced (ubm ablate --compare probes it)
        List<Combiner.BlockReport> rep = Combiner.combine(
                CombineConfig.defaults(List.of(BlockSpec.of(sub)), 1).withPca(4, 2), ids, tmp.resolve("again"));
        assertEquals(Scaling.NONE, rep.get(0).scaling(), "a submission is already scaled");
        assertEquals(5, rep.get(0).dimsOut(), "a submission is not reduced by PCA");
        long[] a = Npy.readLongs(sub.resolve("client_ids.npy"));
        long[] b = Npy.readLongs(tmp.resolve("again/client_ids.npy"));
        Npy.FloatMatrix ma = Npy.readFloats(sub.resolve("embeddings.npy"));
        Npy.FloatMatrix mb = Npy.readFloats(tmp.resolve("again/embeddings.npy"));
        for (int r = 0; r < a.length; r++) {
            int rb = rowOf(b, a[r]);
            for (int j = 0; j < 5; j++) {
                assertEquals(ma.get(r, j), mb.get(rb, j), 0, "row of client " + a[r]);
            }
        }
    }

    @Test
    void clientsDefaultToTheFirstBlocksIds() {
        long[] ids = TestBlocks.ids(8);
        Path a = TestBlocks.write(tmp.resolve("a"), "seq", ids, TestBlocks.gaussian(8, 2, 1), 2);
        Combiner.combine(CombineConfig.defaults(List.of(BlockSpec.of(a)), 1), null, tmp.resolve("s"));
        long[] got = Npy.readLongs(tmp.resolve("s/client_ids.npy"));
        Arrays.sort(got);
        assertArrayEquals(ids, got);
    }
}
