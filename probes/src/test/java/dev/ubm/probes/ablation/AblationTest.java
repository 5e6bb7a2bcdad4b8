package dev.ubm.probes.ablation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ubm.core.BlockDir;
import dev.ubm.core.ChallengeDataDir;
import dev.ubm.core.Progress;
import dev.ubm.core.Task;
import dev.ubm.data.Npy;
import dev.ubm.data.TestWorlds;
import dev.ubm.probes.PartialResults;
import dev.ubm.probes.ProbeKind;
import dev.ubm.probes.TaskResult;
import dev.ubm.probes.metrics.TaskScore;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AblationTest {
    @TempDir
    Path tmp;

    @Test
    void variantsAreAllThenAloneThenLeaveOneOut() {
        List<Variant> v = Variant.of(List.of("a", "b", "c"));
        assertEquals(List.of("all", "a alone", "b alone", "c alone", "without a", "without b", "without c"),
                v.stream().map(Variant::name).toList());
        assertEquals(List.of("b", "c"), v.get(4).blocks());
        assertEquals("a", v.get(4).leftOut(List.of("a", "b", "c")));
        assertEquals(List.of("all", "a alone", "b alone"),
                Variant.of(List.of("a", "b")).stream().map(Variant::name).toList(), "no duplicate sets");
        assertEquals(1, Variant.of(List.of("a")).size());
        assertThrows(IllegalArgumentException.class, () -> Variant.of(List.of("a", "a")));
    }

    /** A block of {@code dims} columns for the relevant clients: noise, or noise plus the client's buy count. */
    private static Path block(ChallengeDataDir data, Path dir, int dims, long seed) {
        long[] ids = Npy.readLongs(data.relevantClientsFile());
        Random r = new Random(seed);
        float[] x = new float[ids.length * dims];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        BlockDir b = new BlockDir(dir);
        b.createDirs();
        Npy.writeLongs(b.clientIdsFile(), ids);
        Npy.writeFloat32(b.embeddingsFile(), x, ids.length, dims);
        return dir;
    }

    /** Concatenates the blocks' columns in relevant-client order (the CLI uses the submission combiner). */
    private static Ablation.Combiner concat(ChallengeDataDir data, Map<String, Path> blocks) {
        long[] ids = Npy.readLongs(data.relevantClientsFile());
        return (names, work) -> {
            int total = 0;
            List<Npy.FloatMatrix> ms = new java.util.ArrayList<>();
            for (String n : names) {
                Npy.FloatMatrix m = Npy.readFloats(blocks.get(n).resolve(BlockDir.EMBEDDINGS));
                ms.add(m);
                total += m.cols();
            }
            float[] out = new float[ids.length * total];
            int off = 0;
            for (Npy.FloatMatrix m : ms) {
                for (int i = 0; i < ids.length; i++) {
                    System.arraycopy(m.data(), i * m.cols(), out, i * total + off, m.cols());
                }
                off += m.cols();
            }
            BlockDir b = new BlockDir(work);
            b.createDirs();
            Npy.writeLongs(b.clientIdsFile(), ids);
            Npy.writeFloat32(b.embeddingsFile(), out, ids.length, total);
            return work;
        };
    }

    @Test
    void aComparisonIsEachBlockAloneInOrder() {
        assertEquals(List.of("b alone", "a alone", "c alone"),
                Variant.alone(List.of("b", "a", "c")).stream().map(Variant::name).toList());
        assertThrows(IllegalArgumentException.class, () -> Variant.alone(List.of("a")));
        assertThrows(IllegalArgumentException.class, () -> Variant.alone(List.of("a", "a")));
    }

    @Test
    void ablationTableHasTheRightRowsAndFiles() throws Exception {
        Progress.setEnabled(false);
        ChallengeDataDir data = TestWorlds.shared(5);
        Map<String, Path> blocks = new HashMap<>();
        blocks.put("a", block(data, tmp.resolve("a"), 3, 1));
        blocks.put("b", block(data, tmp.resolve("b"), 2, 2));
        blocks.put("c", block(data, tmp.resolve("c"), 4, 3));
        Path scores = tmp.resolve("scores");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Ablation.Config cfg = new Ablation.Config(ProbeKind.LINEAR, List.of(Task.CHURN, Task.PROPENSITY_CATEGORY),
                7, 2, java.util.Map.of("b", 0.5));
        Ablation.Result r = new Ablation(new PrintStream(log, true)).run(data, List.of("a", "b", "c"),
                concat(data, blocks), tmp.resolve("work"), scores, cfg);
        assertEquals(7, r.rows().size());
        assertEquals(9, r.row("all").dims());
        assertEquals(3, r.row("a alone").dims());
        assertEquals(6, r.row("without a").dims());
        assertEquals(2, r.row("all").results().get(Task.CHURN).size(), "one result per repeat");
        List<String> csv = Files.readAllLines(scores.resolve(AblationReport.CSV));
        int oracle = r.oracle().isEmpty() ? 0 : 2;
        assertEquals(1 + 7 * 2 * 2 + oracle, csv.size());
        assertTrue(csv.get(1).startsWith("all,all,a+b+c,9,churn,0,"), csv.get(1));
        String md = Files.readString(scores.resolve(AblationReport.MD));
        for (String name : List.of("| all |", "| a alone |", "| without c |", "## What each block adds",
                "## All blocks against each block alone", "(t ", "blocks: a, b (weight 0.5), c.")) {
            assertTrue(md.contains(name), name + " in\n" + md);
        }
        BufferedImage png = ImageIO.read(scores.resolve(AblationReport.PNG).toFile());
        assertNotNull(png);
        assertTrue(png.getWidth() >= 560);
        assertTrue(Files.isRegularFile(scores.resolve("run.json")));
        assertTrue(log.toString().contains("without b"), log.toString());
    }

    /** Records each saved probe and throws (as a kill would stop the run) after the {@code n}th. */
    private static java.util.function.Consumer<String> killAfter(int n, List<String> probed) {
        return u -> {
            probed.add(u);
            if (probed.size() == n) {
                throw new RuntimeException("killed after " + u);
            }
        };
    }

    @Test
    void aKilledAblationResumesAtTheFirstUnfinishedProbe() throws Exception {
        Progress.setEnabled(false);
        ChallengeDataDir data = TestWorlds.shared(5);
        Map<String, Path> blocks = new HashMap<>();
        blocks.put("a", block(data, tmp.resolve("a"), 3, 1));
        blocks.put("b", block(data, tmp.resolve("b"), 2, 2));
        Ablation.Config cfg = new Ablation.Config(ProbeKind.LINEAR, List.of(Task.CHURN, Task.CONVERSION), 7, 2);
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true);
        List<Variant> compare = Variant.alone(List.of("a", "b"));
        Ablation.Result once = new Ablation(quiet).run(data, List.of("a", "b"), compare, concat(data, blocks),
                tmp.resolve("work0"), tmp.resolve("whole"), cfg);
        assertFalse(Files.exists(tmp.resolve("whole").resolve(PartialResults.FILE)), "a complete run leaves none");

        // killed after the third of eight probes: those three are on disk, the score dir is not complete
        Path scores = tmp.resolve("scores");
        List<String> probed = new ArrayList<>();
        RuntimeException killed = assertThrows(RuntimeException.class, () -> new Ablation(quiet, killAfter(3,
                probed)).run(data, List.of("a", "b"), compare, concat(data, blocks), tmp.resolve("work"), scores, cfg));
        assertEquals("killed after a alone conversion seed 7", killed.getMessage());
        assertTrue(Files.isRegularFile(scores.resolve(PartialResults.FILE)));
        assertFalse(Files.exists(scores.resolve("run.json")));

        probed.clear();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Ablation.Result resumed = new Ablation(new PrintStream(log, true), probed::add).run(data, List.of("a", "b"),
                compare, concat(data, blocks), tmp.resolve("work"), scores, cfg);
        assertEquals(List.of("a alone conversion seed 8", "b alone churn seed 7", "b alone churn seed 8",
                "b alone conversion seed 7", "b alone conversion seed 8"), probed, "only unfinished probes run again");
        assertTrue(log.toString().contains("ablate: reused 3 probe results"), log.toString());
        assertTrue(log.toString().startsWith("ablate: probe 4 of 8: a alone, conversion, probe seed 8\n"),
                "counts the reused probes as done: " + log);
        assertTrue(log.toString().contains("ablate: probe 8 of 8: b alone, conversion, probe seed 8, ETA "),
                "an ETA once a probe has run: " + log);
        for (String v : List.of("a alone", "b alone")) {
            for (Task t : cfg.tasks()) {
                for (int r = 0; r < 2; r++) {
                    assertEquals(once.row(v).results().get(t).get(r).epochs(),
                            resumed.row(v).results().get(t).get(r).epochs(), v + " " + t + " " + r);
                }
            }
        }
        assertTrue(Files.isRegularFile(scores.resolve("run.json")));
        assertFalse(Files.exists(scores.resolve(PartialResults.FILE)));

        // a block whose embeddings changed since the kill is probed again; the unchanged one is reused
        probed.clear();
        assertThrows(RuntimeException.class, () -> new Ablation(quiet, killAfter(5, probed)).run(data,
                List.of("a", "b"), compare, concat(data, blocks), tmp.resolve("work"), scores, cfg));
        block(data, tmp.resolve("a"), 3, 9);
        probed.clear();
        new Ablation(quiet, probed::add).run(data, List.of("a", "b"), compare, concat(data, blocks),
                tmp.resolve("work"), scores, cfg);
        assertEquals(List.of("a alone churn seed 7", "a alone churn seed 8", "a alone conversion seed 7",
                "a alone conversion seed 8", "b alone churn seed 8", "b alone conversion seed 7",
                "b alone conversion seed 8"), probed, "all of the changed block, the rest of the unchanged one");
    }

    private static TaskResult churn(double auroc) {
        return TaskResult.of(Task.CHURN, List.of(TaskScore.binary(auroc)), 100, 0.1);
    }

    private static Ablation.Row row(String name, double... aurocs) {
        List<TaskResult> rs = new java.util.ArrayList<>();
        for (double a : aurocs) {
            rs.add(churn(a));
        }
        return new Ablation.Row(new Variant(name, Variant.Kind.ALL, List.of("a")), 1, Map.of(Task.CHURN, rs), 0);
    }

    @Test
    void pairedDifferenceIsTheMeanAndTOfThePerSeedDifferences() {
        // per-seed differences 0.01, 0.03, 0.02: mean 0.02, sd 0.01, t = 0.02 / (0.01 / sqrt 3)
        Ablation.Paired d = row("x", 0.81, 0.83, 0.82).minus(row("y", 0.80, 0.80, 0.80), Task.CHURN);
        assertEquals(0.02, d.mean(), 1e-12);
        assertEquals(0.02 / (0.01 / Math.sqrt(3)), d.t(), 1e-9);
        // pairing matters: the same values in another seed order give a different t
        Ablation.Paired shuffled = row("x", 0.81, 0.83, 0.82).minus(row("y", 0.80, 0.79, 0.81), Task.CHURN);
        assertEquals(0.02, shuffled.mean(), 1e-12);
        assertTrue(Math.abs(shuffled.t() - d.t()) > 1, "t " + shuffled.t());
        assertTrue(Double.isNaN(row("x", 0.81).minus(row("y", 0.80), Task.CHURN).t()), "one repeat: no t");
        assertTrue(Double.isNaN(row("x", 0.75, 0.875).minus(row("y", 0.5, 0.625), Task.CHURN).t()),
                "equal differences: no t");
    }

    @Test
    void theConfigRoundTripsThroughRunJson() {
        Ablation.Config c = new Ablation.Config(ProbeKind.LINEAR, List.of(Task.CHURN, Task.CONVERSION), 4, 2,
                Map.of("a", 0.5, "b", 2.0));
        assertEquals(c, Ablation.Config.fromMap(dev.ubm.core.Json.parseObject(dev.ubm.core.Json.write(c.toMap())),
                4));
    }
}
