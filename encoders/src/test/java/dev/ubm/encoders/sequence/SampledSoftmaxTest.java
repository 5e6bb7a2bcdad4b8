package dev.ubm.encoders.sequence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class SampledSoftmaxTest {
    @Test
    void logQIsTheInclusionProbabilityOfMixedSampling() {
        // item with frequency 0.1, 4 positive draws, 10 uniform draws from 100 items:
        // Q = 1 - 0.9^4 * 0.99^10 = 1 - 0.6561 * 0.904382 = 0.406635
        double q = Math.exp(SampledSoftmax.logInclusion(0.1, 4, 10, 100));
        assertEquals(1 - Math.pow(0.9, 4) * Math.pow(0.99, 10), q, 1e-12);
        assertEquals(0.406635, q, 1e-6);
        // small probabilities: Q ~ P p + U / V
        double small = Math.exp(SampledSoftmax.logInclusion(1e-6, 100, 1000, 1_000_000));
        assertEquals(100 * 1e-6 + 1000 / 1e6, small, 2e-6);
        // an item never seen as a target is only reachable through uniform draws
        assertEquals(1 - Math.pow(0.99, 10), Math.exp(SampledSoftmax.logInclusion(0, 4, 10, 100)), 1e-12);
    }

    @Test
    void correctedLossOnAHandExample() {
        // two candidates, scores 0.5 and 0.1, tau 0.5 -> raw logits 1.0, 0.2; logQ = log 0.5, log 0.1
        // corrected: 1.0 + 0.693147 = 1.693147, 0.2 + 2.302585 = 2.502585
        // loss(label 0) = -1.693147 + log(e^1.693147 + e^2.502585) = 1.177622
        double loss = SampledSoftmax.rowLoss(new double[] {0.5, 0.1},
                new float[] {(float) Math.log(0.5), (float) Math.log(0.1)}, 0, 0.5);
        assertEquals(1.177622, loss, 1e-5);
        // without correction the popular positive would look easy: -1 + log(e^1 + e^0.2) = 0.371101
        assertEquals(0.371101, SampledSoftmax.rowLoss(new double[] {0.5, 0.1}, new float[] {0, 0}, 0, 0.5), 1e-5);
    }

    @Test
    void candidatesAreDistinctAndLabelsPointAtThePositive() {
        ItemVocab vocab = TestVocabs.of(new long[] {10, 20, 30, 40, 50, 60, 70, 80}, new long[] {5, 1, 1, 1, 0, 0, 0, 2});
        int[] positives = {0, 0, 3, 7, 0};
        SampledSoftmax.Candidates c = SampledSoftmax.build(positives, vocab, 6, new SplittableRandom(1));
        Set<Integer> seen = new HashSet<>();
        for (int col : c.columns()) {
            assertTrue(seen.add(col), "duplicate column " + col);
        }
        for (int r = 0; r < positives.length; r++) {
            assertEquals(positives[r], c.columns()[c.labels()[r]]);
        }
        assertEquals(c.labels()[0], c.labels()[1]);
        assertEquals(c.columns().length, c.logQ().length);
        // the most frequent item has the highest inclusion probability
        int col0 = c.labels()[0];
        for (int j = 0; j < c.logQ().length; j++) {
            assertTrue(c.logQ()[col0] >= c.logQ()[j]);
        }
    }
}
