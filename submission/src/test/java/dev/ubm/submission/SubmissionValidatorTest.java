package dev.ubm.submission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ubm.core.BadInputException;
import dev.ubm.core.ExitCode;
import dev.ubm.core.ValidationFailedException;
import dev.ubm.data.Npy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SubmissionValidatorTest {
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
        return SubmissionValidator.check(sub, relevant, SubmissionValidator.MAX_DIMS).problems();
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
        SubmissionValidator.Report r = SubmissionValidator.requireValid(sub, relevant, 2048);
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
        assertOneProblem("1 relevant clients missing, e.g. [30]; 1 ids that are not relevant clients, e.g. [40]");
        ids(10, 20, 20);
        assertOneProblem("1 repeated, e.g. [20]");
        ids(10, 20);
        emb16(2, 4, 0.5f);
        assertOneProblem("not a permutation");
    }

    @Test
    void thePermutationCheckCanBeSkipped() {
        ids(1, 2);
        emb16(2, 4, 0.5f);
        assertTrue(SubmissionValidator.check(sub, null, 2048).ok());
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
        assertOneProblem("1 NaN values (first at row 1, column 0)");
    }

    @Test
    void noInf() throws Exception {
        ids(10, 20, 30);
        RawNpy.write(sub.resolve("embeddings.npy"), "<f2", "(3, 1)",
                RawNpy.float16s((short) 0xfc00, (short) 0, (short) 0x7c00));
        assertOneProblem("2 Inf values (first at row 0, column 0)");
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
        ValidationFailedException e = assertThrows(ValidationFailedException.class,
                () -> SubmissionValidator.requireValid(sub, relevant, 2048));
        assertEquals(ExitCode.VALIDATION_FAILED, e.exitCode());
        assertEquals(5, e.problems().size());
    }

    @Test
    void aMissingRelevantClientsFileIsBadInput() {
        ids(10, 20, 30);
        emb16(3, 4, 0f);
        assertThrows(BadInputException.class,
                () -> SubmissionValidator.check(sub, tmp.resolve("nope.npy"), 2048));
    }
}
