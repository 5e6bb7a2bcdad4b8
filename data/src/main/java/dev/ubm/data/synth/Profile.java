package dev.ubm.data.synth;

import dev.ubm.core.BadInputException;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * A generator profile: which mechanisms the world plants on top of the default ones. {@link #DEFAULT} is the
 * original world (same config, same bytes). {@link #STRUCTURED} adds structure that per-client counters cannot
 * see: intent that drifts from one session's category to the next through a fixed transition matrix, co-purchase
 * bundles (buying a SKU makes its bundle partner, from an unrelated category, likely soon after) and a small share
 * of bots. What each plants and which block should find it is in docs/synth.md.
 *
 * @param drift        share of sessions (after the first) whose category is a successor of the last session's
 *                     category, drawn from the category's {@link #SUCCESSORS} successors
 * @param bundle       probability that a buy schedules an intent for the SKU's bundle partner
 * @param bots         share of clients that are bots: many product-page visits, nothing else
 */
public enum Profile {
    DEFAULT("default", 0, 0, 0),
    STRUCTURED("structured", 0.5, 0.5, 0.004);

    /** Successor categories per category (weights {@link #SUCCESSOR_WEIGHTS}). */
    static final int SUCCESSORS = 3;
    static final double[] SUCCESSOR_WEIGHTS = {0.6, 0.3, 0.1};

    private final String label;
    final double drift;
    final double bundle;
    final double bots;

    Profile(String label, double drift, double bundle, double bots) {
        this.label = label;
        this.drift = drift;
        this.bundle = bundle;
        this.bots = bots;
    }

    /** The name used on the command line and in oracle.json. */
    public String label() {
        return label;
    }

    /** The profile called {@code name}; throws {@link BadInputException} naming the known ones otherwise. */
    public static Profile of(String name) {
        for (Profile p : values()) {
            if (p.label.equals(name)) {
                return p;
            }
        }
        throw new BadInputException("unknown synth profile '" + name + "' (known: "
                + Arrays.stream(values()).map(Profile::label).collect(Collectors.joining(", ")) + ")");
    }
}
