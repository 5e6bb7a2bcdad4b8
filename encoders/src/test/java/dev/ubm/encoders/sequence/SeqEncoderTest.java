package dev.ubm.encoders.sequence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ubm.core.BlockDir;
import dev.ubm.core.ChallengeDataDir;
import dev.ubm.core.Progress;
import dev.ubm.core.StageListener;
import dev.ubm.data.Npy;
import dev.ubm.nn.LossCurve;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("torch")
class SeqEncoderTest {
    @TempDir
    static Path tmp;
    static ChallengeDataDir data;
    static SeqConfig cfg;
    static SeqEncoder.Result full;
    static SeqEncoder.Result killed;
    static SeqEncoder.Result resumed;

    @BeforeAll
    static void train() {
        Progress.setEnabled(false);
        data = TinySeqWorld.write(tmp.resolve("data"), 120, 50, 11);
        cfg = SeqConfig.builder().dim(16).layers(1).heads(2).maxLen(16).historyLen(32).hashBuckets(1024).hashDim(8)
                .epochs(4).batchSize(16).warmupSteps(4).uniformNegatives(32).lr(5e-3f).inferBatch(7).build();
        full = SeqEncoder.run(data, cfg, tmp.resolve("full"), StageListener.NONE, 3, SeqEncoder.Options.defaults());
        killed = SeqEncoder.run(data, cfg, tmp.resolve("resumed"), StageListener.NONE, 3,
                new SeqEncoder.Options(false, false, 2));
        resumed = SeqEncoder.run(data, cfg, tmp.resolve("resumed"), StageListener.NONE, 3,
                SeqEncoder.Options.defaults());
    }

    @Test
    void blockHasOneUnitRowPerRelevantClient() {
        BlockDir block = new BlockDir(tmp.resolve("full"));
        assertTrue(block.isComplete());
        long[] ids = Npy.readLongs(block.clientIdsFile());
        long[] relevant = Npy.readLongs(data.relevantClientsFile());
        long[] a = ids.clone();
        long[] b = relevant.clone();
        Arrays.sort(a);
        Arrays.sort(b);
        assertArrayEquals(b, a);
        Npy.FloatMatrix emb = Npy.readFloats(block.embeddingsFile());
        assertEquals(relevant.length, emb.rows());
        assertEquals(16, emb.cols());
        for (int r = 0; r < emb.rows(); r++) {
            double n = 0;
            for (float v : emb.row(r)) {
                n += v * v;
            }
            assertEquals(1.0, Math.sqrt(n), 1e-4);
        }
        BlockDir.Meta meta = block.readMeta();
        assertEquals("seq", meta.component());
        assertEquals(16, meta.dims());
        assertEquals(3, meta.seed());
        assertEquals(relevant.length, meta.rows());
        assertEquals(16, ((Number) meta.config().get("dim")).intValue());
        assertTrue(Files.isRegularFile(block.dir().resolve("train_loss.png")));
    }

    @Test
    void emptyHistoryClientsShareTheLearnedVector() {
        Map<Long, float[]> rows = rows(tmp.resolve("full"));
        float[] e0 = rows.get(TinySeqWorld.EMPTY[0]);
        for (long id : TinySeqWorld.EMPTY) {
            assertArrayEquals(e0, rows.get(id), 0f);
        }
        // different from every client with a history
        for (long id = 1; id <= 90; id++) {
            assertTrue(maxDiff(e0, rows.get(id)) > 1e-3, "client " + id);
        }
        // and learned: the BOS output keeps moving with training (same seed, one epoch against all of them)
        SeqConfig shorter = cfg.toBuilder().epochs(1).build();
        SeqEncoder.run(data, shorter, tmp.resolve("one-epoch"), StageListener.NONE, 3, SeqEncoder.Options.defaults());
        float[] early = rows(tmp.resolve("one-epoch")).get(TinySeqWorld.EMPTY[0]);
        assertTrue(maxDiff(e0, early) > 1e-3, "the empty-history vector was not trained");
    }

    @Test
    void lossGoesDownOnATinyWorld() {
        LossCurve c = LossCurve.readCsv(tmp.resolve("full").resolve(SeqTrainer.CURVE_CSV));
        List<LossCurve.Row> r = c.rows();
        assertTrue(r.size() >= 4, "rows " + r.size());
        double first = r.get(0).values()[0];
        double last = r.get(r.size() - 1).values()[0];
        assertTrue(last < first * 0.9, "loss " + first + " -> " + last);
        assertEquals(List.of("total", "next_item", "future_window", "next_type", "time_gap", "activity", "volume"),
                c.series());
    }

    @Test
    void resumingAfterAKillGivesTheUninterruptedResult() {
        assertEquals(2, killed.epochsTrained());
        assertEquals(0, killed.rows());
        assertEquals(2, resumed.startEpoch());
        assertEquals(2, resumed.epochsTrained());
        Map<Long, float[]> a = rows(tmp.resolve("full"));
        Map<Long, float[]> b = rows(tmp.resolve("resumed"));
        assertEquals(a.keySet(), b.keySet());
        for (Map.Entry<Long, float[]> e : a.entrySet()) {
            assertTrue(maxDiff(e.getValue(), b.get(e.getKey())) < 1e-4, "client " + e.getKey());
        }
        // the curve continues: rows from all four epochs, steps strictly increasing
        LossCurve c = LossCurve.readCsv(tmp.resolve("resumed").resolve(SeqTrainer.CURVE_CSV));
        assertEquals(3, c.rows().get(c.rows().size() - 1).epoch());
        for (int i = 1; i < c.rows().size(); i++) {
            assertTrue(c.rows().get(i).step() > c.rows().get(i - 1).step());
        }
    }

    @Test
    void aFinishedRunIsNotRetrained() {
        SeqEncoder.Result again = SeqEncoder.run(data, cfg, tmp.resolve("full"), StageListener.NONE, 3,
                SeqEncoder.Options.defaults());
        assertEquals(0, again.epochsTrained());
        assertEquals(4, again.startEpoch());
        Map<Long, float[]> a = rows(tmp.resolve("full"));
        assertEquals(full.rows(), a.size());
    }

    @Test
    void targetsObjectiveLearnsTheListedBuysAndItsModelEncodesAgain() {
        SeqConfig tc = cfg.toBuilder().objectives(SeqConfig.parseObjectives("next_item,targets")).epochs(6).build();
        SeqEncoder.run(data, tc, tmp.resolve("targets"), StageListener.NONE, 3, SeqEncoder.Options.defaults());
        LossCurve c = LossCurve.readCsv(tmp.resolve("targets").resolve(SeqTrainer.CURVE_CSV));
        assertEquals(List.of("total", "next_item", "targets"), c.series());
        int col = c.series().indexOf("targets");
        double first = epochMean(c, 0, col);
        double last = epochMean(c, 5, col);
        assertTrue(last < first * 0.5, "targets loss " + first + " -> " + last);
        assertEquals(6 + 24 + 60, ((Number) new BlockDir(tmp.resolve("targets")).readMeta().config()
                .get("target_labels")).intValue());
        // the as-of path rebuilds the model (targets head included) from the checkpoint alone
        SeqEncoder.Result again = SeqEncoder.encodeWith(data, tmp.resolve("targets"), tmp.resolve("targets-again"),
                StageListener.NONE, 7, null, SeqEncoder.Options.defaults());
        Map<Long, float[]> a = rows(tmp.resolve("targets"));
        Map<Long, float[]> b = rows(tmp.resolve("targets-again"));
        assertEquals(a.size(), again.rows());
        for (Map.Entry<Long, float[]> e : a.entrySet()) {
            assertTrue(maxDiff(e.getValue(), b.get(e.getKey())) < 1e-5, "client " + e.getKey());
        }
    }

    @Test
    void nowTargetsReadoutAppendsStandardisedTargetLogitsToTheNowVector() {
        SeqConfig tc = cfg.toBuilder().objectives(SeqConfig.parseObjectives("next_item,targets")).epochs(2).build();
        SeqEncoder.run(data, tc, tmp.resolve("now"), StageListener.NONE, 3, SeqEncoder.Options.defaults());
        SeqEncoder.Result r = SeqEncoder.encodeWith(data, tmp.resolve("now"), tmp.resolve("now-targets"),
                StageListener.NONE, 7, SeqConfig.Readout.NOW_TARGETS, SeqEncoder.Options.defaults());
        int labels = 6 + 24 + 60;
        int d = 16 + labels;
        assertEquals(d, r.dims());
        BlockDir.Meta meta = new BlockDir(tmp.resolve("now-targets")).readMeta();
        assertEquals(d, meta.dims());
        assertEquals("now+targets", meta.config().get("readout"));
        Map<Long, float[]> now = rows(tmp.resolve("now"));
        Map<Long, float[]> both = rows(tmp.resolve("now-targets"));
        assertEquals(now.keySet(), both.keySet());
        for (float[] v : both.values()) {
            assertEquals(d, v.length);
            assertEquals(1.0, norm(v, 0, d), 1e-4, "unit row");
        }
        // the readout does not change the model: the NOW readout of the same checkpoint is the trained block
        SeqEncoder.encodeWith(data, tmp.resolve("now"), tmp.resolve("now-again"), StageListener.NONE, 7,
                SeqConfig.Readout.NOW, SeqEncoder.Options.defaults());
        Map<Long, float[]> again = rows(tmp.resolve("now-again"));
        for (Map.Entry<Long, float[]> e : now.entrySet()) {
            assertTrue(maxDiff(e.getValue(), again.get(e.getKey())) < 1e-5, "client " + e.getKey());
        }
    }

    private static double norm(float[] v, int from, int to) {
        double s = 0;
        for (int j = from; j < to; j++) {
            s += (double) v[j] * v[j];
        }
        return Math.sqrt(s);
    }

    private static double epochMean(LossCurve c, int epoch, int col) {
        return c.rows().stream().filter(r -> r.epoch() == epoch).mapToDouble(r -> r.values()[col]).average()
                .orElseThrow();
    }

    static Map<Long, float[]> rows(Path dir) {
        BlockDir block = new BlockDir(dir);
        long[] ids = Npy.readLongs(block.clientIdsFile());
        Npy.FloatMatrix m = Npy.readFloats(block.embeddingsFile());
        Map<Long, float[]> out = new HashMap<>();
        for (int i = 0; i < ids.length; i++) {
            out.put(ids[i], m.row(i));
        }
        return out;
    }

    static double maxDiff(float[] a, float[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d = Math.max(d, Math.abs(a[i] - b[i]));
        }
        return d;
    }
}
