package dev.ubm.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class SqlTemplateTest {
    private final SqlTemplate t = new SqlTemplate()
            .param("cutoff", "2022-07-01 00:00:00")
            .list("types", List.of(SqlTemplate.Item.of("buy", "code", "0"), SqlTemplate.Item.of("add", "code", "1")))
            .values("windows", List.of(1, 7));

    @Test
    void repeatsAnEachLinePerCombinationFirstVariableOutermost() {
        String sql = t.expand("SELECT client_id\n  , SUM(x = {t.code} AND d < {w}) AS cnt_{t}_{w}d  -- @each t in types, w in windows\nFROM ev", "x");
        assertEquals("SELECT client_id\n"
                + "  , SUM(x = 0 AND d < 1) AS cnt_buy_1d\n"
                + "  , SUM(x = 0 AND d < 7) AS cnt_buy_7d\n"
                + "  , SUM(x = 1 AND d < 1) AS cnt_add_1d\n"
                + "  , SUM(x = 1 AND d < 7) AS cnt_add_7d\n"
                + "FROM ev", sql);
    }

    @Test
    void substitutesParametersEverywhere() {
        assertEquals("-- at 2022-07-01 00:00:00\nSELECT TIMESTAMP '2022-07-01 00:00:00'",
                t.expand("-- at ${cutoff}\nSELECT TIMESTAMP '${cutoff}'", "x"));
    }

    @Test
    void rejectsUnknownNamesAndStrayPlaceholders() {
        assertThrows(IllegalArgumentException.class, () -> t.expand("SELECT ${nope}", "x"));
        assertThrows(IllegalArgumentException.class, () -> t.expand(", {t} -- @each t in nolist", "x"));
        assertThrows(IllegalArgumentException.class, () -> t.expand(", {w} -- @each t in types", "x"));
        assertThrows(IllegalArgumentException.class, () -> t.expand(", {t.nope} -- @each t in types", "x"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.expand("SELECT {t}", "f.sql"));
        assertTrue(e.getMessage().startsWith("f.sql:1"), e.getMessage());
    }

    @Test
    void defaultsMatchColumnsByGlob() {
        Map<String, String> d = FullFeatures.defaults("-- @default recency_*=61.0\nSELECT 1",
                List.of("recency_buy_days", "tenure_buy_days", "recency_any_days"));
        assertEquals(Map.of("recency_buy_days", "61.0", "recency_any_days", "61.0"), d);
    }
}
