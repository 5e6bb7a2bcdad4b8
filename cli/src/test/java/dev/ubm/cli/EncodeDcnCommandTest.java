package dev.ubm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ubm.core.BlockDir;
import dev.ubm.core.ChallengeDataDir;
import dev.ubm.core.Task;
import dev.ubm.data.Npy;
import dev.ubm.data.TestWorlds;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

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

    private BlockDir block(String name, int dims) {
        BlockDir b = new BlockDir(tmp.resolve(name));
        b.createDirs();
        Npy.writeLongs(b.clientIdsFile(), new long[] {1, 2});
        Npy.writeFloat32(b.embeddingsFile(), new float[2 * dims], 2, dims);
        b.writeMeta(BlockDir.Meta.of(name, dims, 2, "float32", null, 1, "x", 0).withEvents("input"));
        return b;
    }

    @Test
    void aSideTwinOfAnotherWidthThanItsBlockIsBadInput() throws Exception {
        ChallengeDataDir world = TestWorlds.shared(21);
        BlockDir feat = block("feat-w", 1);
        BlockDir side = block("side-w", 2);
        BlockDir twin = block("twin-w", 3);
        CliRunner.Result r = CliRunner.run("encode", "dcn", "--data-dir", world.root().toString(), "--features",
                feat.dir().toString(), "--side", side.dir().toString(), "--side-train", twin.dir().toString(),
                "--embeddings-dir", tmp.resolve("o-w").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("the as-of twin " + twin.dir() + " has 3 dims but its block " + side.dir()
                + " has 2"), r.err());
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
        assertTrue(perWindow.err().contains("need one block per window (2), got 1"), perWindow.err());
        CliRunner.Result sideTwins = CliRunner.run("encode", "dcn", "--data-dir", world.root().toString(),
                "--features", tmp.toString(), "--embeddings-dir", tmp.resolve("o").toString(), "--side",
                tmp.toString(), "--side", tmp.resolve("b").toString(), "--side-train", tmp.resolve("t0").toString(),
                tmp.resolve("t1").toString(), tmp.resolve("t2").toString(), "--windows", "2");
        assertEquals(2, sideTwins.code(), sideTwins.err());
        assertTrue(sideTwins.err().contains("the as-of twins of " + tmp.resolve("b")
                + " (--side-train or --seq-train) need one block per window (2), got 3"), sideTwins.err());
        CliRunner.Result clients = CliRunner.run("encode", "dcn", "--data-dir", world.root().toString(),
                "--features", tmp.toString(), "--embeddings-dir", tmp.resolve("o").toString(), "--train-clients",
                "many");
        assertEquals(2, clients.code(), clients.err());
        assertTrue(clients.err().contains("--train-clients must be relevant, all or a number"), clients.err());
    }

    @Test
    @Tag("torch")
    void sixHeadsByDefaultTwoSideBlocksFeedInAndAMissingListDropsItsHeadWithANote() throws Exception {
        ChallengeDataDir world = TestWorlds.tiny(tmp.resolve("world"), 23);
        String data = world.root().toString();
        Path feat = tmp.resolve("features");
        Path base = tmp.resolve("baseline");
        Path asof = tmp.resolve("asof0");
        Path baseTwin = tmp.resolve("baseline-asof0");
        assertEquals(0, CliRunner.run("features", "--data-dir", data, "--embeddings-dir", feat.toString(),
                "--quiet").code());
        assertEquals(0, CliRunner.run("features", "--data-dir", data, "--embeddings-dir", base.toString(), "--set",
                "baseline", "--quiet").code());
        CliRunner.Result a = CliRunner.run("asof", "--data-dir", data, "--out-dir", asof.toString(),
                "--train-clients", "600", "--seed", "5");
        assertEquals(0, a.code(), a.err());
        assertTrue(a.out().contains("asof: --train-clients 600"), a.out());
        assertTrue(a.out().contains("600 clients listed (400 relevant)"), a.out());
        assertEquals(0, CliRunner.run("features", "--data-dir", asof.toString(), "--embeddings-dir",
                baseTwin.toString(), "--set", "baseline", "--quiet").code());
        Files.delete(world.targetListFile(Task.PROPENSITY_PRICE));
        Path out = tmp.resolve("dcn");
        CliRunner.Result r = CliRunner.run("encode", "dcn", "--data-dir", data, "--features", feat.toString(),
                "--side", feat.toString(), "--side", base.toString(), "--side-train", baseTwin.toString(),
                "--train-clients", "600", "--embeddings-dir", out.toString(), "--epochs", "1", "--dim", "8",
                "--mlp", "16,8", "--seed", "5");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("train clients per window: 600 (--train-clients)"), r.err());
        assertTrue(r.err().contains("dcn: note: no head for propensity_price"), r.err());
        Map<String, Object> cfg = new BlockDir(out).readMeta().config();
        assertEquals(List.of("churn", "conversion", "propensity_category", "propensity_sku", "propensity_new_sku"),
                cfg.get("tasks"), "the six default heads less the one without a list");
        assertTrue(String.valueOf(cfg.get("notes")).contains("no head for propensity_price"));
        int featDims = new BlockDir(feat).readMeta().dims();
        int baseDims = new BlockDir(base).readMeta().dims();
        assertEquals(featDims + baseDims, ((Number) cfg.get("side_dims")).intValue(), "both side blocks feed in");
        List<?> sides = (List<?>) cfg.get("sides");
        assertEquals(2, sides.size());
        assertEquals(List.of(baseTwin.toString()), ((Map<?, ?>) sides.get(1)).get("train"));
        Map<?, ?> w0 = (Map<?, ?>) ((List<?>) cfg.get("train_windows")).get(0);
        assertEquals(600, ((Number) w0.get("rows")).intValue(), "relevant + sampled clients");
        assertEquals(List.of(feat.toString(), baseTwin.toString()), w0.get("sides"));
        // the twin the window trained on was computed from events before the window's labels only
        assertEquals(cfg.get("as_of"), new BlockDir(baseTwin).readMeta().config().get("cutoff"));
        String warnings = String.valueOf(cfg.get("warnings"));
        assertTrue(warnings.contains(feat.resolve("embeddings.npy") + " lacks 200 of 600 training clients"), warnings);
        assertFalse(warnings.contains(baseTwin.toString()), "the twin covers the as-of dir's clients: " + warnings);
        CliRunner.Result named = CliRunner.run("encode", "dcn", "--data-dir", data, "--features", feat.toString(),
                "--tasks", "churn", "propensity_price", "--embeddings-dir", tmp.resolve("o2").toString());
        assertEquals(2, named.code(), named.err());
        assertTrue(named.err().contains("task propensity_price (--tasks) needs"), named.err());
    }
}
