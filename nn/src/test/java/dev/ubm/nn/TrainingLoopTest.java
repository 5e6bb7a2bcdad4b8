package dev.ubm.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ubm.core.Progress;
import dev.ubm.core.UnexpectedStateException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingLoopTest {
    @TempDir
    Path tmp;

    /** A model whose loss is given per global step; records the rates and the epoch ends it saw. */
    private static final class Scripted implements TrainingLoop.Trainable {
        final int batches;
        final float[] losses;
        final List<Float> rates = new ArrayList<>();
        final List<double[]> epochMeans = new ArrayList<>();
        int at;

        Scripted(int batches, float... losses) {
            this.batches = batches;
            this.losses = losses;
        }

        @Override
        public int batches(int epoch) {
            return batches;
        }

        @Override
        public TrainingLoop.Step step(int epoch, int batch, float lr) {
            rates.add(lr);
            float l = losses[at++];
            return TrainingLoop.Step.of(3, l, l / 2);
        }

        @Override
        public String endEpoch(int epoch, double[] meanLosses, double seconds) {
            epochMeans.add(meanLosses);
            return null;
        }
    }

    @Test
    void runsEveryBatchOfEveryEpochWithTheScheduleAndEpochMeans() {
        Progress.setEnabled(false);
        Scripted m = new Scripted(2, 1f, 3f, 5f, 7f);
        TrainingLoop.Outcome o = new TrainingLoop("t", 2).schedule(new LrSchedule(1f, 0, 4, 0f)).run(m);
        assertEquals(2, o.epochs());
        assertEquals(4, o.steps());
        assertEquals(12, o.units());
        assertEquals(1f, m.rates.get(0));
        assertTrue(m.rates.get(3) < m.rates.get(1), "cosine decay: " + m.rates);
        assertArrayEquals(new double[] {2, 1}, m.epochMeans.get(0), 1e-9);
        assertArrayEquals(new double[] {6, 3}, m.epochMeans.get(1), 1e-9);
    }

    @Test
    void aNonFiniteLossStopsTrainingWithAnErrorNamingEpochAndStep() {
        Progress.setEnabled(false);
        Scripted m = new Scripted(3, 1f, 1f, 1f, 1f, Float.NaN, 1f);
        UnexpectedStateException e = assertThrows(UnexpectedStateException.class,
                () -> new TrainingLoop("toy", 2).schedule(LrSchedule.constant(0.1f)).nanGuard(0, "lower --lr").run(m));
        assertTrue(e.getMessage().contains("epoch 2/2, step 5 (batch 2 of 3)"), e.getMessage());
        assertTrue(e.getMessage().contains("NaN") && e.getMessage().contains("lower --lr"), e.getMessage());
    }

    @Test
    void toleratedNonFiniteStepsAreSkippedAndLeftOutOfTheMeans() {
        Progress.setEnabled(false);
        Scripted m = new Scripted(3, 2f, Float.POSITIVE_INFINITY, 4f);
        new TrainingLoop("toy", 1).schedule(LrSchedule.constant(0.1f)).nanGuard(1, "x").run(m);
        assertArrayEquals(new double[] {3, 1.5}, m.epochMeans.get(0), 1e-9);
    }

    @Test
    void theLossCurveGetsAPointEveryNStepsAndAtEachEpochEnd() throws Exception {
        Progress.setEnabled(false);
        Scripted m = new Scripted(3, 1f, 2f, 3f, 4f, 5f, 6f);
        Path csv = tmp.resolve("loss.csv");
        new TrainingLoop("toy", 2).schedule(LrSchedule.constant(0.1f))
                .lossCurve(new TrainingLoop.Curve(List.of("total", "half"), csv, tmp.resolve("loss.png"), "toy", 2))
                .run(m);
        LossCurve c = LossCurve.readCsv(csv);
        // steps 2 and 3 (epoch end) in epoch 0; steps 4 and 6 in epoch 1
        assertEquals(List.of(2L, 3L, 4L, 6L), c.rows().stream().map(LossCurve.Row::step).toList());
        assertEquals(1.5, c.rows().get(0).values()[0], 1e-6);
        assertEquals(18L, c.rows().get(3).tokens());
        assertTrue(Files.size(tmp.resolve("loss.png")) > 0);
    }
}
