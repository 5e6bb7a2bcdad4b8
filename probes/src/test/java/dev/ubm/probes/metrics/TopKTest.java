package dev.ubm.probes.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

class TopKTest {
    @Test
    void tiedValuesAreSelectedExactlyAsLibstdcxxSelectsThem() throws IOException {
        int cases = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                TopKTest.class.getResourceAsStream("topk_libstdcxx.txt"), StandardCharsets.US_ASCII))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                String[] halves = line.split("\\|");
                String[] head = halves[0].trim().split(" ");
                int n = Integer.parseInt(head[0]);
                int k = Integer.parseInt(head[1]);
                float[] v = new float[n];
                for (int i = 0; i < n; i++) {
                    v[i] = Float.parseFloat(head[2 + i]);
                }
                int[] expected = Arrays.stream(halves[1].trim().split(" ")).mapToInt(Integer::parseInt).toArray();
                int[] got = new int[k];
                TopK.select(v, 0, n, k, got);
                assertArrayEquals(expected, got, "n=" + n + " k=" + k + " (" + ((long) k * 64 <= n
                        ? "partial_sort" : "nth_element") + ")");
                cases++;
            }
        }
        assertEquals(10, cases);
    }

    @Test
    void distinctValuesGiveTheTrueTopK() {
        Random rnd = new Random(3);
        for (int n : new int[] {5, 100, 640, 3000}) {
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                v[i] = rnd.nextFloat();
            }
            int k = Math.min(10, n);
            int[] got = new int[k];
            TopK.select(v, 0, n, k, got);
            float[] sorted = v.clone();
            Arrays.sort(sorted);
            float kth = sorted[n - k];
            for (int i : got) {
                assertEquals(true, v[i] >= kth, "n=" + n);
            }
            assertEquals(k, Arrays.stream(got).distinct().count());
        }
    }
}
