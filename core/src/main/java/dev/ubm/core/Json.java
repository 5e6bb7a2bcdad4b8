package dev.ubm.core;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * ubm's metadata files (block.json, run.json, scores.json, checkpoints' state) through one configured Jackson mapper,
 * so every module reads and writes them the same way. Values are plain: objects are {@code Map<String,Object>}
 * (insertion-ordered), arrays {@code List<Object>}, whole numbers {@code Long}, other numbers {@code Double}.
 * Written: enums as their lower-case name, NaN and infinities as null, primitive arrays as lists, any other object as
 * its {@code toString()}.
 */
public final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.USE_LONG_FOR_INTS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final ObjectWriter PRETTY = MAPPER.writer(new DefaultPrettyPrinter(
            Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER)));

    private Json() {
    }

    /** Pretty-printed JSON text of a plain value (see the class comment), ending with a newline. */
    public static String write(Object value) {
        try {
            return PRETTY.writeValueAsString(plain(value)) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Parses a JSON object; throws {@link BadInputException} with the line and column on malformed input. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(String text) {
        Object v;
        try {
            v = MAPPER.readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new BadInputException("malformed JSON" + (at == null ? "" : " at line " + at.getLineNr()
                    + ", column " + at.getColumnNr()) + ": " + e.getOriginalMessage());
        }
        if (!(v instanceof Map)) {
            throw new BadInputException("expected a JSON object");
        }
        return (Map<String, Object>) v;
    }

    /** The value as maps, lists, strings, numbers, booleans and nulls (what {@link #write} promises). */
    private static Object plain(Object v) {
        if (v == null || v instanceof String || v instanceof Boolean) {
            return v;
        }
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            return Double.isFinite(d) ? d : null;
        }
        if (v instanceof Number) {
            return v;
        }
        if (v instanceof Enum<?> e) {
            return e.name().toLowerCase(Locale.ROOT);
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(String.valueOf(k), plain(x)));
            return out;
        }
        if (v instanceof Iterable<?> it && !(v instanceof Path)) {
            List<Object> out = new ArrayList<>();
            it.forEach(x -> out.add(plain(x)));
            return out;
        }
        if (v instanceof double[] a) {
            List<Object> out = new ArrayList<>(a.length);
            for (double d : a) {
                out.add(plain(d));
            }
            return out;
        }
        if (v instanceof float[] a) {
            List<Object> out = new ArrayList<>(a.length);
            for (float d : a) {
                out.add(plain((double) d));
            }
            return out;
        }
        if (v instanceof int[] || v instanceof long[]) {
            return v;
        }
        return v.toString();
    }
}
