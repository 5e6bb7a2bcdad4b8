package dev.ubm.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ubm.core.BlockDir;
import dev.ubm.data.Npy;
import dev.ubm.data.synth.SynthConfig;
import dev.ubm.data.synth.SyntheticWorld;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

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

        // --model-from on the same data reproduces the block without training
        Path again = tmp.resolve("again");
        r = CliRunner.run("encode", "seq", "--data-dir", data.toString(), "--embeddings-dir", again.toString(),
                "--model-from", emb.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        assertArrayEquals(Npy.readLongs(block.clientIdsFile()), Npy.readLongs(new BlockDir(again).clientIdsFile()));
        assertArrayEquals(Npy.readFloats(block.embeddingsFile()).data(),
                Npy.readFloats(new BlockDir(again).embeddingsFile()).data(), 1e-6f);
        assertFalse(Files.exists(again.resolve("train_loss.csv")), "nothing was trained");

        // as of 14 days before the cutoff: every relevant client, other vectors, the model's path in block.json
        Path asOf = tmp.resolve("asof");
        r = CliRunner.run("encode", "seq", "--data-dir", data.toString(), "--embeddings-dir", asOf.toString(),
                "--model-from", emb.toString(), "--as-of-days", "14", "--epochs", "3", "--quiet");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("--epochs ignored"), r.err());
        BlockDir ab = new BlockDir(asOf);
        assertTrue(ab.isComplete());
        long[] a = Npy.readLongs(ab.clientIdsFile()).clone();
        long[] b = Npy.readLongs(block.clientIdsFile()).clone();
        Arrays.sort(a);
        Arrays.sort(b);
        assertArrayEquals(b, a);
        assertEquals(16, ab.readMeta().dims());
        assertEquals(emb.toAbsolutePath().normalize().toString(), ab.readMeta().config().get("model_from"));
        assertFalse(Arrays.equals(Npy.readFloats(block.embeddingsFile()).data(),
                Npy.readFloats(ab.embeddingsFile()).data()), "the as-of vectors equal the ones at the cutoff");
        assertFalse(Files.exists(asOf.resolve(".seq-asof")), "the as-of dir is removed after the run");
    }

    @Tag("torch")
    @Test
    void aCorruptCheckpointIsExit3AndFreshClearsIt() throws Exception {
        Path data = tmp.resolve("data");
        SyntheticWorld.generate(SynthConfig.tiny(3), data);
        Path emb = tmp.resolve("emb");
        String[] args = {"encode", "seq", "--data-dir", data.toString(), "--embeddings-dir", emb.toString(),
            "--epochs", "1", "--dim", "16", "--layers", "1", "--heads", "2", "--max-len", "16", "--hash-buckets",
            "4096", "--hash-dim", "8", "--quiet"};
        assertEquals(0, CliRunner.run(args).code());
        // cut the checkpoint's body (its header still matches), then ask for one more epoch: it must be resumed
        Path ckpt = emb.resolve(".seq-work/model.ckpt");
        byte[] b = Files.readAllBytes(ckpt);
        Files.write(ckpt, Arrays.copyOf(b, b.length / 2));
        String[] more = Arrays.copyOf(args, args.length);
        more[7] = "2";
        CliRunner.Result r = CliRunner.run(more);
        assertEquals(3, r.code(), r.err());
        // the stage's summary line comes first on stderr, then the error
        assertTrue(r.err().contains("[ERROR] checkpoint " + ckpt.toAbsolutePath().normalize() + " is corrupt: rerun "
                + "with --fresh"), r.err());
        String[] fresh = Arrays.copyOf(more, more.length + 1);
        fresh[more.length] = "--fresh";
        r = CliRunner.run(fresh);
        assertEquals(0, r.code(), r.err());
    }

    @Test
    void asOfDaysWithoutAModelIsBadInput() {
        CliRunner.Result r = CliRunner.run("encode", "seq", "--data-dir", tmp.toString(), "--embeddings-dir",
                tmp.resolve("e").toString(), "--as-of-days", "14");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--model-from"), r.err());
    }

    @Test
    void aModelDirWithoutCheckpointIsBadInput() {
        CliRunner.Result r = CliRunner.run("encode", "seq", "--data-dir", tmp.toString(), "--embeddings-dir",
                tmp.resolve("e").toString(), "--model-from", tmp.resolve("none").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("checkpoint"), r.err());
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

    @Test
    void targetsWithoutATargetListIsBadInputBeforeAnyCorpusIsBuilt() throws Exception {
        Path data = tmp.resolve("data");
        // a raw world (before `ubm split`) has no target/ lists
        SyntheticWorld.generate(SynthConfig.tiny(3), data);
        assertFalse(Files.exists(data.resolve("target/propensity_category.npy")));
        Path emb = tmp.resolve("emb");
        CliRunner.Result r = CliRunner.run("encode", "seq", "--data-dir", data.toString(), "--embeddings-dir",
                emb.toString(), "--objectives", "next_item,targets", "--quiet");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("target/propensity_category.npy"), r.err());
        assertFalse(Files.exists(emb.resolve(".seq-work/corpus")), "no corpus before the lists are checked");
    }
}
