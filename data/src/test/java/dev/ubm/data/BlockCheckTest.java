package dev.ubm.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ubm.core.BadInputException;
import dev.ubm.core.ExitCode;
import dev.ubm.core.ValidationFailedException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlockCheckTest {
    private static final long[] RELEVANT = {11, 22, 33, 44};

    @TempDir
    Path tmp;
    Path relevant;
    Path sub;

    @BeforeEach
    void setUp() {
        relevant = tmp.resolve("data/input/relevant_clients.npy");
        try {
            Files.createDirectories(relevant.getParent());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Npy.writeLongs(relevant, new long[] {10, 20, 30});
        sub = tmp.resolve("sub");
    }

    private void ids(long... v) {
        Npy.writeLongs(sub.resolve("client_ids.npy"), v);
    }

    private void emb16(int rows, int cols, float fill) {
        float[] x = new float[rows * cols];
        java.util.Arrays.fill(x, fill);
        Npy.writeFloat16(sub.resolve("embeddings.npy"), x, rows, cols);
    }

    private List<String> problems() {
        return BlockCheck.check(sub, Npy.readLongs(relevant), BlockCheck.Rules.submission(BlockCheck.MAX_DIMS))
                .problems();
    }

    private BlockCheck.Report requireValid() {
        return BlockCheck.check(sub, Npy.readLongs(relevant), BlockCheck.Rules.submission(2048)).requireValid();
    }

    private void assertOneProblem(String fragment) {
        List<String> p = problems();
        assertEquals(1, p.size(), p.toString());
        assertTrue(p.get(0).contains(fragment), p.get(0));
    }

    @Test
    void aValidSubmissionPassesWithAOneLineSummary() {
        ids(30, 10, 20);
        emb16(3, 4, 0.5f);
        BlockCheck.Report r = requireValid();
        assertTrue(r.ok());
        assertEquals(3, r.rows());
        assertEquals(4, r.cols());
        assertTrue(r.summary().startsWith("OK "), r.summary());
        assertTrue(!r.summary().contains("\n"));
    }

    @Test
    void missingClientIds() {
        emb16(3, 4, 0.5f);
        assertOneProblem("client ids are missing");
    }

    @Test
    void missingEmbeddings() {
        ids(10, 20, 30);
        assertOneProblem("embeddings are missing");
    }

    @Test
    void clientIdsMustBeOneDimensional() throws Exception {
        RawNpy.write(sub.resolve("client_ids.npy"), "<i8", "(3, 1)", RawNpy.int64s(10, 20, 30));
        emb16(3, 4, 0.5f);
        assertOneProblem("2-dimensional");
    }

    @Test
    void clientIdsMustBeInt64() throws Exception {
        RawNpy.write(sub.resolve("client_ids.npy"), "<i4", "(3,)", RawNpy.int32s(10, 20, 30));
        emb16(3, 4, 0.5f);
        assertOneProblem("dtype is int32, expected int64");
    }

    @Test
    void clientIdsMustBeAPermutationOfRelevantClients() {
        emb16(3, 4, 0.5f);
        ids(10, 20, 40);
        assertOneProblem("1 of 3 relevant client(s) have no embedding, e.g. [30]; 1 id(s) are not relevant clients, "
                + "e.g. client 40 at row 2");
        ids(10, 20, 20);
        assertOneProblem("1 repeated, e.g. client 20 at rows [1, 2]");
        ids(10, 20);
        emb16(2, 4, 0.5f);
        assertOneProblem("not a permutation");
    }

    @Test
    void thePermutationCheckCanBeSkipped() {
        ids(1, 2);
        emb16(2, 4, 0.5f);
        assertTrue(BlockCheck.check(sub, null, BlockCheck.Rules.submission(2048)).ok());
    }

    @Test
    void embeddingsMustBeFloat16() {
        ids(10, 20, 30);
        Npy.writeFloat32(sub.resolve("embeddings.npy"), new float[12], 3, 4);
        assertOneProblem("dtype is float32, expected float16");
    }

    @Test
    void embeddingsMustBeTwoDimensional() throws Exception {
        ids(10, 20, 30);
        RawNpy.write(sub.resolve("embeddings.npy"), "<f2", "(3,)", RawNpy.float16s((short) 0, (short) 0, (short) 0));
        assertOneProblem("expected 2-dimensional");
    }

    @Test
    void atMost2048Columns() {
        ids(10, 20, 30);
        emb16(3, 2049, 0f);
        assertOneProblem("2049 columns, the maximum is 2048");
        emb16(3, 2048, 0f);
        assertTrue(problems().isEmpty());
    }

    @Test
    void noNaN() throws Exception {
        ids(10, 20, 30);
        RawNpy.write(sub.resolve("embeddings.npy"), "<f2", "(3, 1)",
                RawNpy.float16s((short) 0, (short) 0x7e00, (short) 0));
        assertOneProblem("1 NaN and 0 Inf value(s), expected none; first at row 1 (client 20), column 0");
    }

    @Test
    void noInf() throws Exception {
        ids(10, 20, 30);
        RawNpy.write(sub.resolve("embeddings.npy"), "<f2", "(3, 1)",
                RawNpy.float16s((short) 0xfc00, (short) 0, (short) 0x7c00));
        assertOneProblem("0 NaN and 2 Inf value(s), expected none; first at row 0 (client 10), column 0");
    }

    @Test
    void oneRowPerClientId() {
        ids(10, 20, 30);
        emb16(2, 4, 0f);
        assertOneProblem("2 embedding rows but 3 client ids");
    }

    @Test
    void filesMustLoadWithoutPickle() throws Exception {
        ids(10, 20, 30);
        RawNpy.write(sub.resolve("embeddings.npy"), "|O", "(3,)", new byte[] {(byte) 0x80, 4});
        assertOneProblem("cannot be loaded without pickle");
    }

    @Test
    void aTruncatedFileCannotBeLoaded() throws Exception {
        ids(10, 20, 30);
        RawNpy.write(sub.resolve("embeddings.npy"), "<f2", "(3, 4)", RawNpy.float16s((short) 0));
        assertOneProblem("truncated");
    }

    @Test
    void reportsEveryProblemAtOnceAndFailsWithExitCodeOne() throws Exception {
        RawNpy.write(sub.resolve("client_ids.npy"), "<i4", "(2,)", RawNpy.int32s(10, 99));
        RawNpy.write(sub.resolve("embeddings.npy"), "<f4", "(3, 2)", RawNpy.float32s(Float.NaN, 1, 2, 3, 4, 5));
        List<String> p = problems();
        assertEquals(5, p.size(), p.toString()); // dtype, permutation, dtype, NaN, rows
        ValidationFailedException e = assertThrows(ValidationFailedException.class, this::requireValid);
        assertEquals(ExitCode.VALIDATION_FAILED, e.exitCode());
        assertEquals(5, e.problems().size());
    }

    // --- the probe's rules (float16 or float32, C order), moved from the probe's own check ---

    private static Path block(Path dir, long[] ids, float[] emb, int dims) {
        Npy.writeLongs(dir.resolve("client_ids.npy"), ids);
        Npy.writeFloat32(dir.resolve("embeddings.npy"), emb, emb.length / dims, dims);
        return dir;
    }

    private static BadInputException fails(Path dir, int maxDims) {
        BadInputException e = assertThrows(BadInputException.class,
                () -> BlockCheck.check(dir, RELEVANT, BlockCheck.Rules.probe(maxDims)).requireUsable());
        assertEquals(ExitCode.BAD_INPUT, e.exitCode());
        return e;
    }

    @Test
    void probeRulesAcceptFloat32AndFloat16Blocks(@TempDir Path dir) {
        block(dir, new long[] {33, 11, 44, 22}, new float[] {3, 3, 1, 1, 4, 4, 2, 2}, 2);
        assertTrue(BlockCheck.check(dir, RELEVANT, BlockCheck.Rules.probe(2048)).ok());
        Npy.writeFloat16(dir.resolve("embeddings.npy"), new float[8], 4, 2);
        assertTrue(BlockCheck.check(dir, RELEVANT, BlockCheck.Rules.probe(2048)).ok());
    }

    @Test
    void nanAndInfAreReportedWithRowColumnAndClient(@TempDir Path dir) throws Exception {
        block(dir, new long[] {11, 22, 33, 44}, new float[] {0, 0, 0, 0, 0, 0, 0, 0}, 2);
        // patch a NaN at row 2, column 1 and an Inf at row 3, column 0 into the float32 data
        Path f = dir.resolve("embeddings.npy");
        byte[] b = Files.readAllBytes(f);
        int off = (int) Npy.header(f).dataOffset();
        putFloat(b, off + 4 * (2 * 2 + 1), Float.NaN);
        putFloat(b, off + 4 * (3 * 2), Float.POSITIVE_INFINITY);
        Files.write(f, b);
        BadInputException e = fails(dir, 2048);
        assertTrue(e.getMessage().contains("1 NaN and 1 Inf"), e.getMessage());
        assertTrue(e.getMessage().contains("row 2 (client 33), column 1"), e.getMessage());
        assertTrue(e.getMessage().contains("embeddings.npy"), e.getMessage());
    }

    @Test
    void duplicatesMissingAndExtraIdsAreAllListed(@TempDir Path dir) {
        block(dir, new long[] {11, 22, 22, 55}, new float[4], 1);
        BadInputException e = fails(dir, 2048);
        assertEquals(1, e.problems().size(), e.getMessage()); // one permutation problem that lists all three
        assertTrue(e.getMessage().contains("client 22 at rows [1, 2]"), e.getMessage());
        assertTrue(e.getMessage().contains("2 of 4 relevant client(s) have no embedding, e.g. [33, 44]"),
                e.getMessage());
        assertTrue(e.getMessage().contains("client 55 at row 3"), e.getMessage());
    }

    @Test
    void duplicateIdsAreAProblemEvenWithoutRelevantClients(@TempDir Path dir) {
        block(dir, new long[] {11, 22, 22, 55}, new float[4], 1);
        List<String> p = BlockCheck.check(dir, null, BlockCheck.Rules.probe(2048)).problems();
        assertEquals(1, p.size(), p.toString());
        assertTrue(p.get(0).contains("client ids must be unique, found 1 repeated"), p.get(0));
    }

    @Test
    void shapeDtypeAndLengthProblemsNameTheFile(@TempDir Path dir) {
        Npy.writeLongs(dir.resolve("client_ids.npy"), RELEVANT);
        Npy.writeFloat32(dir.resolve("embeddings.npy"), new float[9], 3, 3);
        BadInputException e = fails(dir, 2);
        assertTrue(e.getMessage().contains("3 embedding rows but 4 client ids"), e.getMessage());
        assertTrue(e.getMessage().contains("3 columns, the maximum is 2"), e.getMessage());
        Npy.writeLongs(dir.resolve("embeddings.npy"), new long[] {1, 2, 3, 4});
        e = fails(dir, 2048);
        assertTrue(e.getMessage().contains("embeddings.npy: embeddings have shape (4,), expected 2-dimensional"),
                e.getMessage());
        assertTrue(e.getMessage().contains("dtype is int64, expected float16 or float32"), e.getMessage());
    }

    @Test
    void probeRulesRefuseFortranOrderThatTheSubmissionRulesAccept() throws Exception {
        Path f = dir4(tmp.resolve("fortran"));
        Files.copy(dev.ubm.core.Fixtures.file("npy/float32_fortran_order.npy"), f,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        long rows = Npy.header(f).rows();
        long[] ids = new long[(int) rows];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = i + 1;
        }
        Npy.writeLongs(f.resolveSibling("client_ids.npy"), ids);
        List<String> p = BlockCheck.check(f.getParent(), ids, BlockCheck.Rules.probe(2048)).problems();
        assertEquals(1, p.size(), p.toString());
        assertTrue(p.get(0).contains("Fortran order, expected C order"), p.get(0));
        List<String> q = BlockCheck.check(f.getParent(), ids, new BlockCheck.Rules(2048,
                java.util.EnumSet.of(Npy.Dtype.FLOAT32), false)).problems();
        assertTrue(q.isEmpty(), q.toString());
    }

    private static Path dir4(Path d) throws java.io.IOException {
        Files.createDirectories(d);
        return d.resolve("embeddings.npy");
    }

    @Test
    void missingFilesAndDirsAreBadInput(@TempDir Path dir) {
        assertTrue(fails(dir.resolve("nope"), 2048).getMessage().contains("does not exist"));
        BadInputException e = fails(dir, 2048);
        assertEquals(2, e.problems().size());
    }

    private static void putFloat(byte[] b, int at, float v) {
        int bits = Float.floatToIntBits(v);
        for (int i = 0; i < 4; i++) {
            b[at + i] = (byte) (bits >>> (8 * i));
        }
    }
}
