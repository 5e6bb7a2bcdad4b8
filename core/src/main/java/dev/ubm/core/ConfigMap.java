package dev.ubm.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Typed reads of a config map as block.json and run.json record it ({@code toMap()}), for the configs' {@code fromMap}:
 * a missing key or a value of the wrong type is a {@link BadInputException} naming the key, expected and found.
 */
public final class ConfigMap {
    private final Map<String, Object> map;
    private final String what;

    private ConfigMap(Map<String, Object> map, String what) {
        this.map = map;
        this.what = what;
    }

    /** @param what names the config in messages, e.g. "dcn config" */
    public static ConfigMap of(Map<String, Object> map, String what) {
        return new ConfigMap(map, what);
    }

    public boolean has(String key) {
        return map.get(key) != null;
    }

    private Object get(String key) {
        Object v = map.get(key);
        if (v == null) {
            throw new BadInputException(what + ": missing key '" + key + "' (found keys " + map.keySet() + ")");
        }
        return v;
    }

    private Number number(String key) {
        Object v = get(key);
        if (!(v instanceof Number n)) {
            throw new BadInputException(what + ": '" + key + "' must be a number, found " + v);
        }
        return n;
    }

    public int getInt(String key) {
        return number(key).intValue();
    }

    public long getLong(String key) {
        return number(key).longValue();
    }

    public double getDouble(String key) {
        return number(key).doubleValue();
    }

    public float getFloat(String key) {
        return number(key).floatValue();
    }

    public boolean getBoolean(String key) {
        Object v = get(key);
        if (!(v instanceof Boolean b)) {
            throw new BadInputException(what + ": '" + key + "' must be true or false, found " + v);
        }
        return b;
    }

    public String getString(String key) {
        return String.valueOf(get(key));
    }

    /** An enum constant written in lower case (as the configs' toMap does). */
    public <E extends Enum<E>> E getEnum(String key, Class<E> type) {
        String v = getString(key);
        try {
            return Enum.valueOf(type, v.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadInputException(what + ": '" + key + "' must be one of "
                    + List.of(type.getEnumConstants()).toString().toLowerCase(Locale.ROOT) + ", found " + v, e);
        }
    }

    public List<Object> getList(String key) {
        Object v = get(key);
        if (!(v instanceof List<?> l)) {
            throw new BadInputException(what + ": '" + key + "' must be a list, found " + v);
        }
        return new ArrayList<>(l);
    }

    public List<Integer> getIntList(String key) {
        List<Integer> out = new ArrayList<>();
        for (Object o : getList(key)) {
            if (!(o instanceof Number n)) {
                throw new BadInputException(what + ": '" + key + "' must be a list of numbers, found " + o);
            }
            out.add(n.intValue());
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> getMap(String key) {
        Object v = get(key);
        if (!(v instanceof Map<?, ?> m)) {
            throw new BadInputException(what + ": '" + key + "' must be an object, found " + v);
        }
        return (Map<String, Object>) m;
    }
}
