package dev.ubm.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void writesAndParsesNestedValuesBack() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "a \"quoted\"\nline");
        m.put("n", 42L);
        m.put("x", 0.25);
        m.put("ok", true);
        m.put("none", null);
        m.put("list", List.of(1L, 2L, 3L));
        m.put("nested", Map.of("k", List.of(Map.of("z", 1.5))));
        Map<String, Object> back = Json.parseObject(Json.write(m));
        assertEquals(m, back);
    }

    @Test
    void keepsKeyOrder() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("b", 1L);
        m.put("a", 2L);
        assertTrue(Json.write(m).indexOf("\"b\"") < Json.write(m).indexOf("\"a\""));
    }

    @Test
    void nonFiniteNumbersBecomeNull() {
        assertEquals("null\n", Json.write(Double.NaN));
        assertEquals(null, Json.parseObject(Json.write(Map.of("x", new double[] {Double.POSITIVE_INFINITY})))
                .get("x") instanceof List<?> l ? l.get(0) : "not a list");
    }

    @Test
    void enumsAreWrittenAsLowerCaseNamesAndOtherObjectsAsText() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", ChallengeDataDir.Format.CSV);
        m.put("path", java.nio.file.Path.of("a", "b.npy"));
        Map<String, Object> back = Json.parseObject(Json.write(m));
        assertEquals("csv", back.get("format"));
        assertEquals(java.nio.file.Path.of("a", "b.npy").toString(), back.get("path"));
    }

    @Test
    void wholeNumbersReadBackAsLongAndFractionsAsDouble() {
        Map<String, Object> back = Json.parseObject("{\"n\": 7, \"x\": 2.0, \"f\": [1, 0.5]}");
        assertEquals(7L, back.get("n"));
        assertEquals(2.0, back.get("x"));
        assertEquals(List.of(1L, 0.5), back.get("f"));
    }

    @Test
    void malformedJsonNamesTheLineAndColumn() {
        BadInputException e = assertThrows(BadInputException.class, () -> Json.parseObject("{\"a\": 1,\n, }"));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    }

    @Test
    void trailingTextAndNonObjectsAreBadInput() {
        assertThrows(BadInputException.class, () -> Json.parseObject("{\"a\": 1} x"));
        assertThrows(BadInputException.class, () -> Json.parseObject("[1, 2]"));
    }
}
