package dev.ubm.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ubm.core.BlockDir;
import dev.ubm.core.Progress;
import dev.ubm.data.Npy;
import dev.ubm.data.TestWorlds;

import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GnnCommandTest {
    @TempDir
    static Path tmp;
    static Path data;

    /** The tiny synthesized and split world (about 1,000 clients, 400 relevant, some without input events). */
    @BeforeAll
    static void world() {
        Progress.setEnabled(false);
        data = TestWorlds.shared(11).root();
    }

    @Test
    void twhinWritesABlockForEveryRelevantClient() {
        Path out = tmp.resolve("twhin");
        CliRunner.Result r = CliRunner.run("gnn", "--data-dir", data.toString(), "--embeddings-dir", out.toString(),
                "--method", "twhin", "--dim", "8", "--epochs", "2", "--threads", "1", "--seed", "3", "--quiet");
        assertEquals(0, r.code(), r.err());
        BlockDir b = new BlockDir(out);
        assertTrue(b.isComplete());
        assertArrayEquals(Npy.readLongs(data.resolve("input/relevant_clients.npy")), Npy.readLongs(b.clientIdsFile()));
        Npy.FloatMatrix e = Npy.readFloats(b.embeddingsFile());
        long[] relevant = Npy.readLongs(data.resolve("input/relevant_clients.npy"));
        assertEquals(relevant.length, e.rows());
        assertEquals(9, e.cols());
        int flagged = 0;
        for (int i = 0; i < e.rows(); i++) {
            flagged += e.get(i, 8) == 1f ? 1 : 0;
        }
        assertTrue(flagged > 0 && flagged < e.rows() / 5, "clients flagged without edges: " + flagged);
        assertEquals(3, b.readMeta().seed());
        assertTrue(r.err().contains("twhin: epoch losses"), r.err());
        assertTrue(r.out().contains(flagged + " without edges"), r.out());
        assertEquals("input", b.readMeta().events());
        assertTrue(r.err().contains("gnn: events: input, from "), r.err());
    }

    @Test
    void aHalfSplitDataDirIsBadInputNamingTheMissingFile() throws Exception {
        Path half = FeaturesCommandTest.halfSplit(data, tmp.resolve("half"));
        CliRunner.Result r = CliRunner.run("gnn", "--data-dir", half.toString(), "--embeddings-dir",
                tmp.resolve("h").toString(), "--method", "svd", "--dim", "4", "--quiet");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("is half split") && r.err().contains(half.resolve("input/search_query.parquet")
                .toString()), r.err());
    }

    @Test
    void svdAndTheCartAblationRun() {
        Path out = tmp.resolve("svd");
        CliRunner.Result r = CliRunner.run("gnn", "--data-dir", data.toString(), "--embeddings-dir", out.toString(),
                "--method", "svd", "--dim", "4", "--relations", "buy,remove_from_cart,visit,search,sku_category");
        assertEquals(0, r.code(), r.err());
        assertEquals(3 * 4 + 1, Npy.readFloats(new BlockDir(out).embeddingsFile()).cols());
    }

    /** The default chain feeds the walks block to the DCN with a twin made on each as-of dir: same columns. */
    @Test
    void aWalksBlockOnAnAsOfDirHasTheColumnsOfTheBlockItTwins() {
        Path asof = tmp.resolve("walks-asof");
        CliRunner.Result a = CliRunner.run("asof", "--data-dir", data.toString(), "--out-dir", asof.toString(),
                "--train-clients", "600", "--seed", "5");
        assertEquals(0, a.code(), a.err());
        Path block = tmp.resolve("walks");
        Path twin = tmp.resolve("walks-twin");
        CliRunner.Result r = CliRunner.run("gnn", "--method", "walks", "--data-dir", data.toString(),
                "--embeddings-dir", block.toString(), "--seed", "3", "--quiet");
        assertEquals(0, r.code(), r.err());
        CliRunner.Result t = CliRunner.run("gnn", "--method", "walks", "--data-dir", asof.toString(),
                "--embeddings-dir", twin.toString(), "--seed", "3", "--quiet");
        assertEquals(0, t.code(), t.err());
        BlockDir.Meta b = new BlockDir(block).readMeta();
        BlockDir.Meta tw = new BlockDir(twin).readMeta();
        assertEquals("gnn-walks", b.component());
        assertEquals(b.config().get("columns"), tw.config().get("columns"));
        assertEquals(b.dims(), tw.dims());
        assertEquals(600, Npy.readFloats(new BlockDir(twin).embeddingsFile()).rows(),
                "every client the as-of dir lists");
        assertEquals(b.dims(), Npy.readFloats(new BlockDir(block).embeddingsFile()).cols());
    }

    @Test
    void badInputExitsWithTwo() {
        CliRunner.Result r = CliRunner.run("gnn", "--data-dir", tmp.resolve("nope").toString(), "--embeddings-dir",
                tmp.resolve("x").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("[ERROR]"), r.err());
        CliRunner.Result bad = CliRunner.run("gnn", "--data-dir", data.toString(), "--embeddings-dir",
                tmp.resolve("y").toString(), "--relations", "buy,likes");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("unknown relation 'likes'"), bad.err());
        CliRunner.Result dim = CliRunner.run("gnn", "--data-dir", data.toString(), "--embeddings-dir",
                tmp.resolve("z").toString(), "--dim", "0");
        assertEquals(2, dim.code());
        CliRunner.Result chunk = CliRunner.run("gnn", "--data-dir", data.toString(), "--embeddings-dir",
                tmp.resolve("c").toString(), "--chunk", "2");
        assertEquals(2, chunk.code());
        assertTrue(chunk.err().contains("chunk must be in 2..8192"), chunk.err());
    }
}
