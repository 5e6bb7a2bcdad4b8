package dev.ubm.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ConfigMapTest {
    private final ConfigMap m = ConfigMap.of(Json.parseObject(
            "{\"n\": 3, \"x\": 0.5, \"on\": true, \"days\": [1, 7], \"kind\": \"churn\", \"sub\": {\"a\": 1}}"),
            "test config");

    @Test
    void readsWhatJsonGivesBack() {
        assertEquals(3, m.getInt("n"));
        assertEquals(3L, m.getLong("n"));
        assertEquals(0.5, m.getDouble("x"));
        assertTrue(m.getBoolean("on"));
        assertEquals(List.of(1, 7), m.getIntList("days"));
        assertEquals(Task.CHURN, m.getEnum("kind", Task.class));
        assertEquals(Map.of("a", 1L), m.getMap("sub"));
    }

    @Test
    void aMissingKeyOrAWrongTypeNamesTheKeyExpectedAndFound() {
        BadInputException e = assertThrows(BadInputException.class, () -> m.getInt("epochs"));
        assertTrue(e.getMessage().contains("test config: missing key 'epochs'"), e.getMessage());
        e = assertThrows(BadInputException.class, () -> m.getInt("kind"));
        assertTrue(e.getMessage().contains("'kind' must be a number, found churn"), e.getMessage());
        e = assertThrows(BadInputException.class, () -> m.getEnum("n", Task.class));
        assertTrue(e.getMessage().contains("'n' must be one of"), e.getMessage());
    }
}
