package dev.ubm.features;

import dev.ubm.core.BadInputException;

import java.util.Locale;

/** The feature sets {@code ubm features --set} can build: ubm's own block, or the organisers' baseline. */
public enum FeatureSet {
    /** A few hundred hand-crafted features per client (counts, recency, gaps, trends, cart, price, targets...). */
    FULL("full", "v1"),
    /** The organisers' aggregated-features baseline (challenge.md §4), 320 dims with the default flags. */
    BASELINE("baseline", "v1");

    private final String cliName;
    private final String version;

    FeatureSet(String cliName, String version) {
        this.cliName = cliName;
        this.version = version;
    }

    public String cliName() {
        return cliName;
    }

    /** Version of the SQL resources; bumped whenever a feature's definition changes. */
    public String version() {
        return version;
    }

    /** Folder of this set's SQL resources on the classpath. */
    public String resourceDir() {
        return "/dev/ubm/features/" + cliName + "/" + version + "/";
    }

    public static FeatureSet ofName(String name) {
        for (FeatureSet s : values()) {
            if (s.cliName.equals(name.trim().toLowerCase(Locale.ROOT))) {
                return s;
            }
        }
        throw new BadInputException("unknown feature set '" + name + "' (expected full or baseline)");
    }
}
