package dev.ubm.encoders.sequence;

import dev.ubm.core.BadInputException;

import java.util.Locale;

/** The training objectives of the sequence encoder; each can be switched off (weight 0) for ablations. */
public enum Objective {
    /** Next bought/added sku, sampled softmax with logQ correction over in-batch + uniform negatives (ARGUS). */
    NEXT_ITEM("next_item"),
    /** A sampled sku bought/added in the next 14 days of a position (PinnerFormer's dense all-action). */
    FUTURE_WINDOW("future_window"),
    /** Type of the next event (softmax over the five types). */
    NEXT_TYPE("next_type"),
    /** Log bucket of the time to the next event (softmax over gap buckets). */
    TIME_GAP("time_gap"),
    /** Next visited url, sampled softmax over in-batch + uniform urls. */
    NEXT_URL("next_url"),
    /**
     * Future activity, four binary labels (BCE): any event within 1 day, any event, an add to cart and a buy within
     * the window (14 days); only positions whose window lies wholly before the input cutoff are labelled. This is
     * what churn and conversion ask about.
     */
    ACTIVITY("activity"),
    /**
     * Future volume: the log bucket of the number of events in the window (softmax over count buckets), fully
     * observed windows only. How much a client will do drives every propensity task.
     */
    VOLUME("volume"),
    /**
     * Future buys of the task targets (multi-label BCE, summed over labels): which of the target categories, skus
     * and price buckets listed in {@code target/} the client buys in the window, fully observed windows only
     * ({@link TargetLabels}). Target-aware, as the known propensity tasks ask; labels come from input events.
     */
    TARGETS("targets");

    private final String cliName;

    Objective(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    /** True for the objectives scored by sampled softmax over an item vocabulary. */
    public boolean isSampledSoftmax() {
        return this == NEXT_ITEM || this == FUTURE_WINDOW || this == NEXT_URL;
    }

    public static Objective ofCliName(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (Objective o : values()) {
            if (o.cliName.equals(n)) {
                return o;
            }
        }
        throw new BadInputException("unknown objective '" + name + "' (expected next_item, future_window, "
                + "next_type, time_gap, next_url, activity, volume or targets)");
    }
}
