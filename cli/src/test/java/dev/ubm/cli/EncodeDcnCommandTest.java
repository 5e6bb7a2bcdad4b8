package dev.ubm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ubm.core.BlockDir;
import dev.ubm.core.ChallengeDataDir;
import dev.ubm.data.Npy;
import dev.ubm.data.TestWorlds;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EncodeDcnCommandTest {
    @TempDir
    Path tmp;

    @Test
    @Tag("torch")
    void encodesATinyWorldFromItsFeatureBlock() throws Exception {
        ChallengeDataDir world = TestWorlds.shared(21);
        Path feat = tmp.resolve("features");
        CliRunner.Result f = CliRunner.run("features", "--data-dir", world.root().toString(), "--embeddings-dir",
                feat.toString(), "--quiet");
        assertEquals(0, f.code(), f.err());
        Path out = tmp.resolve("dcn");
        CliRunner.Result r = CliRunner.run("encode", "dcn", "--data-dir", world.root().toString(), "--features",
                feat.toString(), "--embeddings-dir", out.toString(), "--epochs", "2", "--dim", "16", "--mlp",
                "32,16", "--windows", "2", "--quiet", "--seed", "5");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("dcn: wrote 400 x 16"), r.out());
        BlockDir b = new BlockDir(out);
        assertTrue(b.isComplete());
        assertEquals(400, Npy.readLongs(b.clientIdsFile()).length);
        BlockDir.Meta meta = b.readMeta();
        assertEquals("dcn", meta.component());
        assertEquals("input", meta.events());
        assertEquals(5, meta.seed());
        assertEquals("parallel", meta.config().get("structure"));
        assertEquals(2, ((java.util.List<?>) meta.config().get("train_windows")).size());
        assertTrue(Files.isRegularFile(out.resolve("loss.csv")));
        assertFalse(Files.exists(out.resolve(EncodeDcnCommand.WORK)), "work dir removed after success");
    }

    @Test
    void aFeatureBlockMadeFromOtherEventsIsBadInput() throws Exception {
        ChallengeDataDir world = TestWorlds.shared(21);
        BlockDir feat = new BlockDir(tmp.resolve("features"));
        feat.createDirs();
        Files.writeString(feat.clientIdsFile(), "");
        Files.writeString(feat.embeddingsFile(), "");
        feat.writeMeta(BlockDir.Meta.of("features", 1, 1, "float32", null, 1, "x", 0).withEvents("input"));
        CliRunner.Result r = CliRunner.run("encode", "dcn", "--data-dir", world.root().toString(), "--features",
                feat.dir().toString(), "--embeddings-dir", tmp.resolve("o").toString(), "--all-events");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains(feat.dir() + " was made from events: input but this run reads events: all"),
                r.err());
        assertTrue(r.err().contains("dcn: events: all, from " + world.root()), r.err());
    }

    @Test
    void badFlagsAreBadInput() throws Exception {
        ChallengeDataDir world = TestWorlds.shared(21);
        CliRunner.Result missing = CliRunner.run("encode", "dcn", "--data-dir", world.root().toString(),
                "--features", tmp.resolve("nope").toString(), "--embeddings-dir", tmp.resolve("o").toString());
        assertEquals(2, missing.code(), missing.err());
        assertTrue(missing.err().startsWith("[ERROR]"), missing.err());
        CliRunner.Result structure = CliRunner.run("encode", "dcn", "--data-dir", world.root().toString(),
                "--features", tmp.toString(), "--embeddings-dir", tmp.resolve("o").toString(), "--structure", "x");
        assertEquals(2, structure.code(), structure.err());
        assertTrue(structure.err().contains("--structure must be one of stacked, parallel"), structure.err());
        CliRunner.Result seqTrain = CliRunner.run("encode", "dcn", "--data-dir", world.root().toString(),
                "--features", tmp.toString(), "--embeddings-dir", tmp.resolve("o").toString(), "--epochs", "0");
        assertEquals(2, seqTrain.code(), seqTrain.err());
        assertTrue(seqTrain.err().contains("epochs must be ≥ 1"), seqTrain.err());
        CliRunner.Result perWindow = CliRunner.run("encode", "dcn", "--data-dir", world.root().toString(),
                "--features", tmp.toString(), "--embeddings-dir", tmp.resolve("o").toString(), "--seq",
                tmp.toString(), "--seq-train", tmp.resolve("asof14").toString(), "--windows", "2");
        assertEquals(2, perWindow.code(), perWindow.err());
        assertTrue(perWindow.err().contains("--seq-train needs one block per window (2), got 1"), perWindow.err());
    }
}
