package dev.ubm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ubm.data.Npy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidateCommandTest {
    @TempDir
    static Path tmp;
    static Path data;

    @BeforeAll
    static void setUp() throws Exception {
        data = tmp.resolve("data");
        Files.createDirectories(data.resolve("input"));
        Npy.writeLongs(data.resolve("input/relevant_clients.npy"), new long[] {1, 2, 3});
    }

    @Test
    void aValidSubmissionExitsZeroWithOneOkLine() {
        Path s = tmp.resolve("ok");
        Npy.writeLongs(s.resolve("client_ids.npy"), new long[] {3, 1, 2});
        Npy.writeFloat16(s.resolve("embeddings.npy"), new float[6], 3, 2);
        CliRunner.Result r = CliRunner.run("validate", "--data-dir", data.toString(), "--embeddings-dir", s.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(1, r.out().strip().lines().count());
        assertTrue(r.out().startsWith("OK "), r.out());
    }

    @Test
    void everyProblemIsListedAndTheExitCodeIsOne() {
        Path s = tmp.resolve("bad");
        Npy.writeLongs(s.resolve("client_ids.npy"), new long[] {1, 2, 9});
        Npy.writeFloat32(s.resolve("embeddings.npy"), new float[4], 2, 2);
        CliRunner.Result r = CliRunner.run("validate", "--data-dir", data.toString(), "--embeddings-dir", s.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().startsWith("[ERROR]"), r.err());
        assertTrue(r.err().contains("3 problem(s)"), r.err());
        assertTrue(r.err().contains("not a permutation"), r.err());
        assertTrue(r.err().contains("expected float16"), r.err());
        assertTrue(r.err().contains("2 embedding rows but 3 client ids"), r.err());
    }

    @Test
    void aMissingRelevantClientsFileIsBadInput() {
        CliRunner.Result r = CliRunner.run("validate", "--data-dir", tmp.resolve("nope").toString(),
                "--embeddings-dir", tmp.resolve("ok").toString());
        assertEquals(2, r.code());
    }
}
