package dev.ubm.probes;

import dev.ubm.core.BadInputException;
import dev.ubm.data.BlockCheck;
import dev.ubm.probes.mlp.MlpConfig;
import dev.ubm.probes.mlp.MlpProbe;
import dev.ubm.probes.tabular.LinearProbe;
import dev.ubm.probes.tabular.XgboostProbe;

import java.util.Locale;
import java.util.Map;

/**
 * The probes {@code ubm probe --probe} offers. {@link #OFFICIAL} replicates the organisers' probe (always seed
 * 1278, as theirs); the others are for iteration and take the run's seed.
 */
public enum ProbeKind {
    /** The organisers' MLP (2048/4096), 3 epochs, best epoch counts. */
    OFFICIAL,
    /** The same MLP and recipe with widths 256/512. */
    FAST,
    /** XGBoost4J trees, one model per binary task or propensity label. */
    XGBOOST,
    /** Tribuo logistic regression on standardised features. */
    LINEAR;

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ProbeKind ofName(String s) {
        for (ProbeKind k : values()) {
            if (k.cliName().equalsIgnoreCase(s.trim())) {
                return k;
            }
        }
        throw new BadInputException("unknown probe '" + s + "' (expected official, fast, xgboost or linear)");
    }

    /** The most embedding dims the probe accepts (the organisers' limit for the official probe). */
    public int maxDims() {
        return this == OFFICIAL ? BlockCheck.MAX_DIMS : Integer.MAX_VALUE;
    }

    public Probe create(long seed) {
        return switch (this) {
            case OFFICIAL -> new MlpProbe(cliName(), MlpConfig.OFFICIAL);
            case FAST -> new MlpProbe(cliName(), MlpConfig.FAST.withSeed((int) seed));
            case XGBOOST -> new XgboostProbe(XgboostProbe.Config.DEFAULT.withSeed(seed));
            case LINEAR -> new LinearProbe(LinearProbe.Config.DEFAULT.withSeed(seed));
        };
    }

    /** The probe's settings, for run.json. */
    public Map<String, Object> settings(long seed) {
        return switch (this) {
            case OFFICIAL -> MlpConfig.OFFICIAL.toMap();
            case FAST -> MlpConfig.FAST.withSeed((int) seed).toMap();
            case XGBOOST -> XgboostProbe.Config.DEFAULT.withSeed(seed).toMap();
            case LINEAR -> LinearProbe.Config.DEFAULT.withSeed(seed).toMap();
        };
    }

    /**
     * One line naming the probe and its settings at {@code seed}: two probe runs with the same line (on the same
     * embeddings and targets) give the same result, so it keys saved and reused results.
     */
    public String settingsKey(long seed) {
        return cliName() + "|seed " + seed + "|" + dev.ubm.core.Json.write(settings(seed)).replaceAll("\\s+", "");
    }
}
