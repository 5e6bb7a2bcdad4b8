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
    NEXT_URL("next_url");

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
                + "next_type, time_gap or next_url)");
    }
}
