package dev.ubm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ubm.core.BlockDir;
import dev.ubm.data.Npy;
import dev.ubm.data.synth.SynthConfig;
import dev.ubm.data.synth.SyntheticWorld;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EncodeSeqCommandTest {
    @TempDir
    Path tmp;

    @Tag("torch")
    @Test
    void encodesEveryRelevantClientOfATinyWorld() {
        Path data = tmp.resolve("data");
        SyntheticWorld.generate(SynthConfig.tiny(3), data);
        Path emb = tmp.resolve("emb");
        CliRunner.Result r = CliRunner.run("encode", "seq", "--data-dir", data.toString(), "--embeddings-dir",
                emb.toString(), "--epochs", "1", "--dim", "16", "--layers", "1", "--heads", "2", "--max-len", "16",
                "--hash-buckets", "4096", "--hash-dim", "8", "--quiet", "--seed", "5");
        assertEquals(0, r.code(), r.err());
        BlockDir block = new BlockDir(emb);
        assertTrue(block.isComplete());
        assertEquals(Npy.readLongs(data.resolve("input/relevant_clients.npy")).length,
                Npy.readLongs(block.clientIdsFile()).length);
        assertEquals(16, block.readMeta().dims());
        assertEquals(5, block.readMeta().seed());
        assertTrue(Files.isRegularFile(emb.resolve("train_loss.csv")));
        assertFalse(Files.exists(emb.resolve(".seq-work/corpus")), "the corpus is removed after a run");
        assertTrue(Files.isRegularFile(emb.resolve(".seq-work/model.ckpt")), "the checkpoint is kept");
    }

    @Test
    void headsThatDoNotDivideTheWidthAreBadInput() {
        CliRunner.Result r = CliRunner.run("encode", "seq", "--data-dir", tmp.toString(), "--embeddings-dir",
                tmp.resolve("e").toString(), "--dim", "16", "--heads", "3");
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("[ERROR]") && r.err().contains("heads"), r.err());
    }

    @Test
    void aMissingDataDirIsBadInput() {
        CliRunner.Result r = CliRunner.run("encode", "seq", "--data-dir", tmp.resolve("nope").toString(),
                "--embeddings-dir", tmp.resolve("e").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("nope"), r.err());
    }

    @Test
    void unknownObjectiveIsBadInput() {
        CliRunner.Result r = CliRunner.run("encode", "seq", "--data-dir", tmp.toString(), "--embeddings-dir",
                tmp.resolve("e").toString(), "--objectives", "next_item,telepathy");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("telepathy"), r.err());
    }
}
