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
    }

    @Test
    void malformedJsonNamesTheOffset() {
        BadInputException e = assertThrows(BadInputException.class, () -> Json.parse("{\"a\": 1,, }"));
        assertTrue(e.getMessage().contains("offset"), e.getMessage());
    }
}
