package dev.ubm.gnn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class AliasSamplerTest {
    @Test
    void drawsInProportionToTheWeights() {
        double[] w = {1, 0, 3, 6, 0.5, 9.5};
        AliasSampler s = new AliasSampler(w);
        Rng rng = new Rng(1);
        int n = 2_000_000;
        int[] counts = new int[w.length];
        for (int i = 0; i < n; i++) {
            counts[s.sample(rng)]++;
        }
        for (int i = 0; i < w.length; i++) {
            assertEquals(w[i] / 20.0, counts[i] / (double) n, 0.002, "index " + i);
        }
    }

    @Test
    void oneWeightAlwaysWins() {
        AliasSampler s = new AliasSampler(new double[] {0, 0, 5});
        Rng rng = new Rng(2);
        for (int i = 0; i < 1000; i++) {
            assertEquals(2, s.sample(rng));
        }
    }

    @Test
    void aPayloadDrawIsThePayloadOfTheSameDraw() {
        double[] w = {1, 0, 3, 6, 0.5, 9.5};
        AliasSampler s = new AliasSampler(w);
        long[] payload = {10, 11, 12, 13, 14, 15};
        long[] rec = s.withPayload(payload);
        Rng a = new Rng(3);
        Rng b = new Rng(3);
        for (int i = 0; i < 10_000; i++) {
            assertEquals(payload[s.sample(a)], AliasSampler.drawPayload(rec, b));
        }
    }
}
