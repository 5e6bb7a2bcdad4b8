package dev.ubm.probes.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ubm.core.Fixtures;
import dev.ubm.core.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Every case of fixtures/metrics/metrics_golden.json (test resources; values from the organisers' own metric code). */
class MetricsGoldenTest {
    private static final double TOL = 1e-5;

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> cases() throws IOException {
        String text = Files.readString(Fixtures.file("metrics/metrics_golden.json"));
        return (List<Map<String, Object>>) Json.parseObject(text).get("cases");
    }

    @TestFactory
    Stream<DynamicTest> everyGoldenCaseMatchesTheOrganisersCode() throws IOException {
        List<Map<String, Object>> cases = cases();
        assertFalse(cases.isEmpty());
        return cases.stream().map(c -> DynamicTest.dynamicTest((String) c.get("name"), () -> check(c)));
    }

    @SuppressWarnings("unchecked")
    private static void check(Map<String, Object> c) {
        Map<String, Object> exp = (Map<String, Object>) c.get("expected");
        String name = (String) c.get("name");
        if (c.get("kind").equals("binary")) {
            float[] logits = floats((List<Object>) c.get("logits"));
            byte[] labels = bytes((List<Object>) c.get("targets"));
            TaskScore s = Metrics.binary(logits, labels);
            assertEquals(num(exp.get("auroc")), s.auroc(), TOL, name + " auroc");
            assertEquals(num(exp.get("score")), s.score(), TOL, name + " score");
            return;
        }
        List<Object> rowsL = (List<Object>) c.get("logits");
        int rows = rowsL.size();
        int width = ((List<Object>) rowsL.get(0)).size();
        float[] logits = new float[rows * width];
        byte[] labels = new byte[rows * width];
        List<Object> rowsT = (List<Object>) c.get("targets");
        for (int i = 0; i < rows; i++) {
            float[] r = floats((List<Object>) rowsL.get(i));
            byte[] t = bytes((List<Object>) rowsT.get(i));
            System.arraycopy(r, 0, logits, i * width, width);
            System.arraycopy(t, 0, labels, i * width, width);
        }
        List<Object> popL = (List<Object>) c.get("popularity");
        long[] pop = new long[popL.size()];
        for (int i = 0; i < pop.length; i++) {
            pop[i] = Math.round(num(popL.get(i)));
        }
        TaskScore s = Metrics.propensity(logits, labels, rows, width, pop);
        assertEquals(num(exp.get("auroc")), s.auroc(), TOL, name + " auroc");
        assertEquals(num(exp.get("diversity")), s.diversity(), TOL, name + " diversity");
        double nov = num(exp.get("novelty"));
        if (Math.abs(nov) < 1e-3) {
            assertEquals(nov, s.novelty(), Math.abs(nov) * 1e-3, name + " novelty (relative 1e-3)");
        } else {
            assertEquals(nov, s.novelty(), TOL, name + " novelty");
        }
        assertEquals(num(exp.get("score")), s.score(), TOL, name + " score");
    }

    @Test
    void roundingIsPythonsRoundToFourDecimals() {
        assertEquals(0.6817, Metrics.round4(0.6817189455032349));
        assertEquals(0.5, Metrics.round4(0.5));
        assertEquals(0.1235, Metrics.round4(0.12345000000000001));
        // 0.00005 is stored just above one half of the last digit, so Python rounds it up
        assertEquals(0.0001, Metrics.round4(0.00005));
        assertEquals(1.0, Metrics.round4(0.99996));
    }

    @Test
    void labelsWithoutPositivesOrNegativesScoreZero() {
        float[] logits = {0.1f, 0.2f, 0.3f, 0.4f};
        assertEquals(0.0, Metrics.binaryAuroc(logits, new byte[] {0, 0, 0, 0}));
        assertEquals(0.0, Metrics.binaryAuroc(logits, new byte[] {1, 1, 1, 1}));
        assertEquals(1.0, Metrics.binaryAuroc(logits, new byte[] {0, 0, 1, 1}));
    }

    @Test
    void predictionsInsideTheUnitIntervalAreNotSquashed() {
        // 40 and 50 tie after a float32 sigmoid (both 1.0f) but not as probabilities
        float[] logits = {40f, 50f, -1f};
        byte[] labels = {0, 1, 0};
        assertEquals(0.75, Metrics.binaryAuroc(logits, labels), 1e-12);
        float[] probs = {0.9f, 0.95f, 0.1f};
        assertEquals(1.0, Metrics.binaryAuroc(probs, labels), 1e-12);
        assertTrue(Metrics.needsSigmoid(logits));
        assertFalse(Metrics.needsSigmoid(probs));
    }

    private static double num(Object o) {
        return ((Number) o).doubleValue();
    }

    private static float[] floats(List<Object> l) {
        float[] a = new float[l.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) num(l.get(i));
        }
        return a;
    }

    private static byte[] bytes(List<Object> l) {
        byte[] a = new byte[l.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = (byte) Math.round(num(l.get(i)));
        }
        return a;
    }
}
