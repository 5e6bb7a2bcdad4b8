package dev.ubm.features;

import dev.ubm.core.BadInputException;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code ubm features} computes, checked once here. {@code numDays} and {@code topN} are the organisers'
 * baseline flags; {@code windows}, {@code trendWindows}, the decay constants and the session gap shape the full set.
 * Everything is written to block.json so a block can be rebuilt.
 *
 * @param set               which feature set
 * @param numDays           baseline windows in days before each event type's own last event (default 1 7 30)
 * @param topN              baseline: most frequent values per column (default 10)
 * @param windows           full set: trailing windows in days before the cutoff (default 1 7 14 30 60)
 * @param trendWindows      full set: windows compared with the window before them (default 7 14 30)
 * @param decayDays         full set: e-folding time of the decayed per-target counts of product events
 * @param buyDecayDays      full set: e-folding time of the decayed per-target-category buy counts
 * @param sessionGapMinutes full set: a gap longer than this starts a new session
 * @param seed              recorded in block.json (the features are deterministic)
 */
public record FeatureConfig(FeatureSet set, List<Integer> numDays, int topN, List<Integer> windows,
        List<Integer> trendWindows, double decayDays, double buyDecayDays, int sessionGapMinutes, long seed) {

    public static final List<Integer> DEFAULT_NUM_DAYS = List.of(1, 7, 30);
    public static final int DEFAULT_TOP_N = 10;
    public static final List<Integer> DEFAULT_WINDOWS = List.of(1, 7, 14, 30, 60);
    public static final List<Integer> DEFAULT_TREND_WINDOWS = List.of(7, 14, 30);

    public FeatureConfig {
        if (set == null) {
            throw new BadInputException("a feature set is required (full or baseline)");
        }
        numDays = List.copyOf(numDays);
        windows = List.copyOf(windows);
        trendWindows = List.copyOf(trendWindows);
        checkDays("--num-days", numDays);
        checkDays("--windows", windows);
        checkDays("trend windows", trendWindows);
        if (topN < 1 || topN > 1000) {
            throw new BadInputException("--top-n must be in 1..1000, got " + topN);
        }
        if (!(decayDays > 0) || !(buyDecayDays > 0)) {
            throw new BadInputException("decay times must be > 0 days, got " + decayDays + " and " + buyDecayDays);
        }
        if (sessionGapMinutes < 1) {
            throw new BadInputException("the session gap must be >= 1 minute, got " + sessionGapMinutes);
        }
    }

    private static void checkDays(String what, List<Integer> days) {
        if (days.isEmpty()) {
            throw new BadInputException(what + " needs at least one window");
        }
        if (new HashSet<>(days).size() != days.size()) {
            throw new BadInputException(what + " has a repeated window: " + days);
        }
        for (int d : days) {
            if (d < 1 || d > 3650) {
                throw new BadInputException(what + ": windows are whole days in 1..3650, got " + d);
            }
        }
    }

    /** The defaults for a set, with a seed. */
    public static FeatureConfig defaults(FeatureSet set, long seed) {
        return new FeatureConfig(set, DEFAULT_NUM_DAYS, DEFAULT_TOP_N, DEFAULT_WINDOWS, DEFAULT_TREND_WINDOWS, 14.0,
                60.0, 30, seed);
    }

    public FeatureConfig withNumDays(List<Integer> d) {
        return new FeatureConfig(set, d, topN, windows, trendWindows, decayDays, buyDecayDays, sessionGapMinutes, seed);
    }

    public FeatureConfig withTopN(int n) {
        return new FeatureConfig(set, numDays, n, windows, trendWindows, decayDays, buyDecayDays, sessionGapMinutes, seed);
    }

    public FeatureConfig withWindows(List<Integer> w) {
        return new FeatureConfig(set, numDays, topN, w, trendWindows, decayDays, buyDecayDays, sessionGapMinutes, seed);
    }

    /** The settings that matter for this set, for block.json. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("set", set.cliName());
        m.put("sql_version", set.cliName() + "/" + set.version());
        if (set == FeatureSet.BASELINE) {
            m.put("num_days", numDays);
            m.put("top_n", topN);
        } else {
            m.put("windows", windows);
            m.put("trend_windows", trendWindows);
            m.put("decay_days", decayDays);
            m.put("buy_decay_days", buyDecayDays);
            m.put("session_gap_minutes", sessionGapMinutes);
        }
        return m;
    }

    /**
     * The config a block.json records ({@link #toMap()}; the seed is block.json's own field): the keys of the set,
     * defaults for the keys the set does not use.
     *
     * @throws BadInputException when the map is not a feature config (no {@code set}) or a value has the wrong type
     */
    public static FeatureConfig fromMap(Map<String, Object> m, long seed) {
        Object set = m.get("set");
        if (set == null) {
            throw new BadInputException("not a feature config (no 'set'): " + m.keySet());
        }
        FeatureConfig d = defaults(FeatureSet.ofName(String.valueOf(set)), seed);
        try {
            return new FeatureConfig(d.set(), ints(m.get("num_days"), d.numDays()),
                    m.get("top_n") instanceof Number n ? n.intValue() : d.topN(), ints(m.get("windows"), d.windows()),
                    ints(m.get("trend_windows"), d.trendWindows()),
                    m.get("decay_days") instanceof Number n ? n.doubleValue() : d.decayDays(),
                    m.get("buy_decay_days") instanceof Number n ? n.doubleValue() : d.buyDecayDays(),
                    m.get("session_gap_minutes") instanceof Number n ? n.intValue() : d.sessionGapMinutes(), seed);
        } catch (ClassCastException e) {
            throw new BadInputException("malformed feature config " + m + ": " + e.getMessage(), e);
        }
    }

    private static List<Integer> ints(Object o, List<Integer> dflt) {
        if (!(o instanceof List<?> l)) {
            return dflt;
        }
        List<Integer> out = new java.util.ArrayList<>();
        for (Object x : l) {
            out.add(((Number) x).intValue());
        }
        return out;
    }
}
