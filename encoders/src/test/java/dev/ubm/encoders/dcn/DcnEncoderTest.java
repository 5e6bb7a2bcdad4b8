package dev.ubm.encoders.dcn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ubm.core.Progress;
import dev.ubm.core.StageListener;
import dev.ubm.core.Task;
import dev.ubm.nn.tabular.DcnV2;
import dev.ubm.nn.tabular.PleBins;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("torch")
class DcnEncoderTest {
    @TempDir
    Path tmp;

    /** A tiny world: labels depend non-linearly on heavy-tailed counts and on the sequence vector. */
    private static Object[] tinyWorld(int n, long seed) {
        Random r = new Random(seed);
        int f = 6;
        int s = 4;
        float[] x = new float[n * f];
        float[] seq = new float[n * s];
        float[] noBuy = new float[n];
        float[] active = new float[n];
        float[] cat = new float[n * 5];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < f; j++) {
                x[i * f + j] = (float) Math.floor(Math.exp(r.nextGaussian() * 1.5));
            }
            for (int j = 0; j < s; j++) {
                seq[i * s + j] = (float) r.nextGaussian();
            }
            double score = Math.log1p(x[i * f]) - Math.log1p(x[i * f + 1]) * Math.log1p(x[i * f + 2]) + seq[i * s];
            noBuy[i] = score > 0 ? 0f : 1f;
            active[i] = x[i * f + 3] > 1 ? 1f : 0f;
            for (int k = 0; k < 5; k++) {
                cat[i * 5 + k] = (k == (int) Math.min(4, x[i * f + 4]) && r.nextDouble() < 0.8) ? 1f : 0f;
            }
        }
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) {
            ids[i] = 1000 + i;
        }
        List<DcnEncoder.Head> heads = List.of(DcnEncoder.Head.of(Task.CHURN, 1, noBuy, active),
                DcnEncoder.Head.of(Task.CONVERSION, 1, noBuy, null),
                DcnEncoder.Head.of(Task.PROPENSITY_CATEGORY, 5, cat, null));
        return new Object[] {DcnInputs.of(ids, x, f, seq, s), heads};
    }

    private static DcnConfig small(int epochs, PleBins.Method method, DcnV2.Structure structure) {
        return small(epochs, method, structure, DcnConfig.Layer.BOTTLENECK);
    }

    private static DcnConfig small(int epochs, PleBins.Method method, DcnV2.Structure structure, DcnConfig.Layer layer) {
        return new DcnConfig(8, method, 4, false, structure, 2, 8, new int[] {32, 16}, 0.0f, 16, true,
                layer, List.of(Task.CHURN, Task.CONVERSION, Task.PROPENSITY_CATEGORY), 0f, 14,
                epochs, 64, 3e-3f, 0f, 0.3f, 0.1f, 0.1f, 0.2f);
    }

    @Test
    @SuppressWarnings("unchecked")
    void lossGoesDownOnATinyWorldAndEveryClientGetsAFiniteRow() throws Exception {
        Progress.setEnabled(false);
        Object[] w = tinyWorld(768, 7);
        DcnInputs in = (DcnInputs) w[0];
        Path csv = tmp.resolve("loss.csv");
        DcnEncoder.Result r = new DcnEncoder(small(6, PleBins.Method.QUANTILE, DcnV2.Structure.PARALLEL), 1)
                .fit(in, (List<DcnEncoder.Head>) w[1], in, csv);
        assertEquals(6, r.epochs().size());
        DcnEncoder.Epoch first = r.epochs().get(0);
        DcnEncoder.Epoch last = r.epochs().get(5);
        assertTrue(last.trainSupervised() < first.trainSupervised() * 0.9,
                "supervised loss " + first.trainSupervised() + " -> " + last.trainSupervised());
        assertTrue(last.validationSupervised() < 3.0 * 0.95, "held-out loss below the prior: "
                + last.validationSupervised());
        assertEquals(768, r.rows());
        assertEquals(16, r.dims());
        assertEquals(768 * 16, r.embeddings().length);
        for (float v : r.embeddings()) {
            assertTrue(Float.isFinite(v));
        }
        List<String> lines = Files.readAllLines(csv);
        assertEquals(7, lines.size());
        assertTrue(lines.get(0).startsWith("epoch,train_loss"), lines.get(0));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aKilledFitResumesFromItsLastEpochAndEndsAsTheUninterruptedOne() {
        Progress.setEnabled(false);
        Object[] w = tinyWorld(256, 13);
        DcnInputs in = (DcnInputs) w[0];
        List<DcnEncoder.Head> heads = (List<DcnEncoder.Head>) w[1];
        // dropout and the contrastive masks on, so every random draw of an epoch has to repeat
        DcnConfig cfg = new DcnConfig(8, PleBins.Method.QUANTILE, 4, false, DcnV2.Structure.PARALLEL, 2, 8,
                new int[] {32, 16}, 0.2f, 16, true, DcnConfig.Layer.BOTTLENECK,
                List.of(Task.CHURN, Task.CONVERSION, Task.PROPENSITY_CATEGORY), 0f, 14, 4, 64, 3e-3f, 0f, 0.3f, 0.1f,
                0.1f, 0.2f);
        DcnEncoder.Result whole = new DcnEncoder(cfg, 5).fit(in, heads, in, null);

        Path dir = tmp.resolve("ckpt");
        DcnEncoder killed = new DcnEncoder(cfg, 5, dir, StageListener.NONE);
        killed.stopAfter = 2;
        killed.fit(in, heads, in, null);
        assertTrue(Files.isRegularFile(dir.resolve(DcnEncoder.CHECKPOINT)), "a checkpoint after each epoch");

        List<String> said = new ArrayList<>();
        DcnEncoder.Result resumed = new DcnEncoder(cfg, 5, dir, said::add).fit(in, heads, in, null);
        assertEquals(2, ((Number) resumed.summary().get("resumed_after_epoch")).intValue());
        assertEquals(List.of("dcn: resuming from the checkpoint after epoch 2 of 4 (" + dir.resolve(
                DcnEncoder.CHECKPOINT) + ")"), said);
        assertArrayEquals(whole.embeddings(), resumed.embeddings(), "the resumed block is the uninterrupted one");
        assertEquals(4, resumed.epochs().size(), "the saved epochs' losses are reported too");
        for (int e = 0; e < 4; e++) {
            assertEquals(whole.epochs().get(e).trainLoss(), resumed.epochs().get(e).trainLoss(), "epoch " + e);
            assertEquals(whole.epochs().get(e).validationSupervised(),
                    resumed.epochs().get(e).validationSupervised(), "epoch " + e);
        }

        // a rerun asking for fewer epochs than the checkpoint holds (4) trains them from the first
        DcnConfig one = cfg.withEpochs(1);
        DcnEncoder.Result shorter = new DcnEncoder(one, 5, dir, StageListener.NONE).fit(in, heads, in, null);
        assertFalse(shorter.summary().containsKey("resumed_after_epoch"), shorter.summary().toString());
        assertArrayEquals(new DcnEncoder(one, 5).fit(in, heads, in, null).embeddings(), shorter.embeddings());

        // another seed (or other inputs) does not resume that checkpoint
        DcnEncoder.Result other = new DcnEncoder(cfg, 6, dir, StageListener.NONE).fit(in, heads, in, null);
        assertFalse(other.summary().containsKey("resumed_after_epoch"), other.summary().toString());
        DcnEncoder.deleteCheckpoint(dir);
        assertFalse(Files.exists(dir.resolve(DcnEncoder.CHECKPOINT)));
    }

    @Test
    @SuppressWarnings("unchecked")
    void sameSeedSameBlockAndTreeBinsStackedAlsoTrain() {
        Progress.setEnabled(false);
        Object[] w = tinyWorld(256, 3);
        DcnInputs in = (DcnInputs) w[0];
        List<DcnEncoder.Head> heads = (List<DcnEncoder.Head>) w[1];
        DcnConfig cfg = small(2, PleBins.Method.TREE, DcnV2.Structure.STACKED);
        float[] a = new DcnEncoder(cfg, 5).fit(in, heads, in, null).embeddings();
        float[] b = new DcnEncoder(cfg, 5).fit(in, heads, in, null).embeddings();
        assertEquals(a.length, b.length);
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], b[i], 1e-5f, "row-major index " + i);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void fittingInPlaceGivesTheSameBlockAndLeavesTheInputsScaled() {
        Progress.setEnabled(false);
        Object[] w = tinyWorld(256, 11);
        DcnInputs in = (DcnInputs) w[0];
        List<DcnEncoder.Head> heads = (List<DcnEncoder.Head>) w[1];
        DcnConfig cfg = small(2, PleBins.Method.QUANTILE, DcnV2.Structure.PARALLEL);
        float[] copied = new DcnEncoder(cfg, 5).fit(in, heads, in, null).embeddings();
        DcnInputs train = copy(in);
        DcnInputs infer = copy(in);
        float[] inPlace = new DcnEncoder(cfg, 5).fitInPlace(train, heads, infer, null).embeddings();
        assertArrayEquals(copied, inPlace, 1e-5f);
        float[] scaled = Preprocessor.fit(in.features(), in.rows(), in.featureDims(), true)
                .apply(in.features(), in.rows(), in.featureDims());
        assertArrayEquals(scaled, train.features());
        assertArrayEquals(scaled, infer.features());
        assertFalse(java.util.Arrays.equals(in.features(), train.features()), "the inputs were scaled");
    }

    @Test
    @SuppressWarnings("unchecked")
    void logitsLayerIsTheBottleneckThenOneStandardisedColumnPerBinaryLabel() {
        Progress.setEnabled(false);
        Object[] w = tinyWorld(256, 13);
        DcnInputs in = (DcnInputs) w[0];
        List<DcnEncoder.Head> heads = (List<DcnEncoder.Head>) w[1];
        float[] z = new DcnEncoder(small(2, PleBins.Method.QUANTILE, DcnV2.Structure.PARALLEL), 5)
                .fit(in, heads, in, null).embeddings();
        DcnEncoder.Result r = new DcnEncoder(small(2, PleBins.Method.QUANTILE, DcnV2.Structure.PARALLEL,
                DcnConfig.Layer.LOGITS), 5).fit(in, heads, in, null);
        int dims = 16 + 1 + 1 + 5; // bottleneck, churn, conversion, five categories
        assertEquals(dims, r.dims());
        assertEquals(java.util.Map.of("churn", List.of(16, 17), "conversion", List.of(17, 18), "propensity_category",
                List.of(18, 23)), r.summary().get("logit_columns"));
        float[] e = r.embeddings();
        for (int i = 0; i < 256; i++) {
            for (int c = 0; c < 16; c++) {
                assertEquals(z[i * 16 + c], e[i * dims + c], 1e-5f, "bottleneck row " + i + " col " + c);
            }
        }
        for (int c = 16; c < dims; c++) {
            double sum = 0;
            double sq = 0;
            for (int i = 0; i < 256; i++) {
                sum += e[i * dims + c];
                sq += (double) e[i * dims + c] * e[i * dims + c];
            }
            assertEquals(0.0, sum / 256, 1e-4, "mean of logit column " + c);
            assertEquals(1.0, sq / 256, 1e-3, "variance of logit column " + c);
        }
    }

    private static DcnInputs copy(DcnInputs in) {
        return DcnInputs.of(in.clientIds().clone(), in.features().clone(), in.featureDims(), in.side().clone(),
                in.sideDims());
    }
}
