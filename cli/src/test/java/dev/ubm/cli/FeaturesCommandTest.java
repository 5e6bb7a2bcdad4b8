package dev.ubm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ubm.core.BlockDir;
import dev.ubm.data.Npy;
import dev.ubm.data.TestWorlds;

import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeaturesCommandTest {
    @TempDir
    static Path tmp;
    static Path data;
    static int relevant;

    @BeforeAll
    static void world() {
        data = TestWorlds.shared(4).root();
        relevant = Npy.readLongs(data.resolve("input/relevant_clients.npy")).length;
    }

    @Test
    void fullSetWritesABlockWithARowPerRelevantClient() {
        Path emb = tmp.resolve("full");
        CliRunner.Result r = CliRunner.run("features", "--data-dir", data.toString(), "--embeddings-dir",
                emb.toString(), "--set", "full", "--quiet");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("features full: " + relevant + " clients x "), r.out());
        assertTrue(new BlockDir(emb).isComplete());
        assertEquals(relevant, Npy.readLongs(emb.resolve("client_ids.npy")).length);
    }

    @Test
    void baselineSetHas320Dims() {
        Path emb = tmp.resolve("baseline");
        CliRunner.Result r = CliRunner.run("features", "--data-dir", data.toString(), "--embeddings-dir",
                emb.toString(), "--set", "baseline", "--num-days", "1", "7", "30", "--top-n", "10", "--quiet");
        assertEquals(0, r.code(), r.err());
        assertEquals(320, new BlockDir(emb).readMeta().dims());
    }

    @Test
    void unknownSetOrMissingDataAreBadInput() {
        CliRunner.Result r = CliRunner.run("features", "--data-dir", data.toString(), "--embeddings-dir",
                tmp.resolve("x").toString(), "--set", "nope");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("unknown feature set 'nope'"), r.err());
        r = CliRunner.run("features", "--data-dir", tmp.resolve("nodata").toString(), "--embeddings-dir",
                tmp.resolve("x").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("[ERROR]"), r.err());
    }
}
