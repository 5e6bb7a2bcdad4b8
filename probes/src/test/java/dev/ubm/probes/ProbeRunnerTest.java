package dev.ubm.probes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ubm.core.BadInputException;
import dev.ubm.core.ChallengeDataDir;
import dev.ubm.core.Json;
import dev.ubm.core.Progress;
import dev.ubm.core.Task;
import dev.ubm.data.TestWorlds;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProbeRunnerTest {
    static ChallengeDataDir world;

    @BeforeAll
    static void world() {
        Progress.setEnabled(false);
        world = TestWorlds.shared(5);
    }

    @Test
    void writesTheOrganisersFilesAndAReportWithOracleAndRandomControl(@TempDir Path tmp) throws Exception {
        Path emb = Files.createDirectories(tmp.resolve("emb"));
        ProbeWorlds.randomBlock(world, emb, 8, 1);
        Path scores = tmp.resolve("scores");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        ProbeRunner.Config cfg = new ProbeRunner.Config(ProbeKind.LINEAR,
                List.of(Task.PROPENSITY_PRICE, Task.CHURN, Task.CONVERSION), 7, false, true);
        ProbeSummary s = new ProbeRunner(new PrintStream(log, true)).run(world, emb, scores, cfg);

        Map<String, Object> sj = Json.parseObject(Files.readString(scores.resolve("scores.json")));
        assertEquals(List.of("churn", "hidden1", "hidden3"), List.copyOf(sj.keySet()), "organisers' keys, task order");
        for (Object v : sj.values()) {
            double d = ((Number) v).doubleValue();
            assertEquals(d, Math.round(d * 1e4) / 1e4, 1e-12, "rounded to 4 decimals");
        }
        Map<String, Object> ej = Json.parseObject(Files.readString(scores.resolve("epochs.json")));
        assertEquals(0L, ej.get("churn"));
        assertEquals(3, s.oracle().size(), "the synthetic world has an oracle");
        assertEquals(3, s.random().size(), "and the random control ran");
        for (Task t : cfg.tasks()) {
            // binary tasks: the oracle knows the hidden traits; propensity: a tiny world leaves many labels without
            // positives (they score 0 in the macro average), so only check that it was scored
            assertTrue(s.oracle().get(t).auroc() > (t.isBinary() ? 0.6 : 0.3), t + " oracle " + s.oracle().get(t));
        }
        String md = Files.readString(scores.resolve("report.md"));
        assertTrue(md.contains("| churn | churn |"), md);
        assertTrue(md.contains("oracle AUROC") && md.contains("gap closed"), md);
        assertTrue(ImageIO.read(scores.resolve("report.png").toFile()).getWidth() >= 480);
        assertTrue(Files.isRegularFile(scores.resolve("run.json")));
        assertTrue(Files.isRegularFile(scores.resolve("metrics.json")));
        assertTrue(Files.isRegularFile(scores.resolve(ProbeRunner.CONTROL_DIR).resolve("scores.json")));

        // a second run reuses the cached random control
        log.reset();
        ProbeSummary again = new ProbeRunner(new PrintStream(log, true)).run(world, emb, scores, cfg);
        assertTrue(log.toString().contains("random control: reusing"), log.toString());
        assertEquals(s.random().get(Task.CHURN).auroc(), again.random().get(Task.CHURN).auroc());
        assertEquals(s.results().get(Task.CHURN).score(), again.results().get(Task.CHURN).score());
    }

    @Test
    void anInterruptedProbeResumesAtTheFirstUnfinishedTask(@TempDir Path tmp) throws Exception {
        Path emb = Files.createDirectories(tmp.resolve("emb"));
        ProbeWorlds.randomBlock(world, emb, 8, 1);
        ProbeRunner.Config cfg = new ProbeRunner.Config(ProbeKind.LINEAR, List.of(Task.CHURN, Task.CONVERSION), 7,
                false, false);
        Path whole = tmp.resolve("whole");
        ProbeSummary once = new ProbeRunner(new PrintStream(new ByteArrayOutputStream(), true)).run(world, emb, whole,
                cfg);
        assertFalse(Files.exists(whole.resolve(ProbeRunner.PARTIAL_FILE)), "a complete score dir has no partial file");

        // killed after the first task: its result is on disk, the score dir is not complete
        Path scores = tmp.resolve("scores");
        RuntimeException killed = assertThrows(RuntimeException.class,
                () -> new ProbeRunner(new PrintStream(new ByteArrayOutputStream(), true), t -> {
                    throw new RuntimeException("killed after " + t);
                }).run(world, emb, scores, cfg));
        assertEquals("killed after CHURN", killed.getMessage());
        assertTrue(Files.isRegularFile(scores.resolve(ProbeRunner.PARTIAL_FILE)));
        assertFalse(Files.exists(scores.resolve("run.json")));

        List<Task> probed = new java.util.ArrayList<>();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        ProbeSummary resumed = new ProbeRunner(new PrintStream(log, true), probed::add).run(world, emb, scores, cfg);
        assertEquals(List.of(Task.CONVERSION), probed, "only the unfinished task is probed again");
        assertTrue(log.toString().contains("probe: resuming; [CHURN] finished"), log.toString());
        for (Task t : cfg.tasks()) {
            assertEquals(once.results().get(t).epochs(), resumed.results().get(t).epochs(), t.cliName());
        }
        assertTrue(Files.isRegularFile(scores.resolve("run.json")));
        assertFalse(Files.exists(scores.resolve(ProbeRunner.PARTIAL_FILE)));

        // other embeddings in the same score dir never reuse a partial result
        assertThrows(RuntimeException.class, () -> new ProbeRunner(new PrintStream(new ByteArrayOutputStream(), true),
                t -> {
                    throw new RuntimeException("killed");
                }).run(world, emb, scores, cfg));
        Path other = Files.createDirectories(tmp.resolve("other"));
        ProbeWorlds.randomBlock(world, other, 8, 2);
        probed.clear();
        new ProbeRunner(new PrintStream(new ByteArrayOutputStream(), true), probed::add).run(world, other, scores, cfg);
        assertEquals(cfg.tasks(), probed, "a partial result of other embeddings is not reused");
    }

    @Test
    void theRandomControlReplacesTheEmbedding(@TempDir Path tmp) throws Exception {
        Path emb = Files.createDirectories(tmp.resolve("emb"));
        ProbeWorlds.randomBlock(world, emb, 4, 2);
        ProbeRunner.Config cfg = new ProbeRunner.Config(ProbeKind.XGBOOST, List.of(Task.CHURN), 7, true, true);
        ProbeSummary s = new ProbeRunner(new PrintStream(new ByteArrayOutputStream())).run(world, emb,
                tmp.resolve("s"), cfg);
        assertTrue(s.control());
        String md = Files.readString(tmp.resolve("s/report.md"));
        assertTrue(md.contains("(random control)"), md);
        assertFalse(Files.exists(tmp.resolve("s").resolve(ProbeRunner.CONTROL_DIR)));
    }

    @Test
    void badEmbeddingsStopBeforeAnyProbing(@TempDir Path tmp) throws Exception {
        Path emb = Files.createDirectories(tmp.resolve("emb"));
        long[] ids = ProbeWorlds.randomBlock(world, emb, 4, 3);
        dev.ubm.data.Npy.writeLongs(emb.resolve("client_ids.npy"), java.util.Arrays.copyOf(ids, ids.length - 1));
        ProbeRunner.Config cfg = new ProbeRunner.Config(ProbeKind.LINEAR, List.of(Task.CHURN), 7, false, true);
        BadInputException e = assertThrows(BadInputException.class, () -> new ProbeRunner(
                new PrintStream(new ByteArrayOutputStream())).run(world, emb, tmp.resolve("s"), cfg));
        assertTrue(e.getMessage().contains("client_ids.npy"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("s/scores.json")));
    }
}
