package dev.ubm.data.synth;

import dev.ubm.core.BadInputException;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * A generator profile: which mechanisms the world plants on top of the default ones. {@link #DEFAULT} is the
 * original world (same config, same bytes). {@link #STRUCTURED} adds structure that per-client counters cannot
 * see: intent that drifts from one session's category to the next through a fixed transition matrix, co-purchase
 * circles (the catalog is dealt at random into circles of about {@link #CIRCLE_SIZE} skus across categories; each
 * client belongs to one, and a share of its sessions browse and buy that circle's skus) and a small share of bots.
 * What each plants and which block should find it is in docs/synth.md.
 *
 * @param drift        share of sessions (after the first) whose category is a successor of the last session's
 *                     category, drawn from the category's {@link #SUCCESSORS} successors
 * @param circle       share of a client's generic (non-bot) sessions that are circle sessions: the browsed skus are
 *                     drawn uniformly from the released skus of the client's circle
 * @param bots         share of clients that are bots: many product-page visits, nothing else
 */
public enum Profile {
    DEFAULT("default", 0, 0, 0),
    STRUCTURED("structured", 0.5, 0.4, 0.004);

    /** Successor categories per category (weights {@link #SUCCESSOR_WEIGHTS}). */
    static final int SUCCESSORS = 3;
    static final double[] SUCCESSOR_WEIGHTS = {0.6, 0.3, 0.1};
    /** Skus per co-purchase circle (the catalog is dealt into round(skus / this) circles, at least one). */
    static final int CIRCLE_SIZE = 40;

    private final String label;
    final double drift;
    final double circle;
    final double bots;

    Profile(String label, double drift, double circle, double bots) {
        this.label = label;
        this.drift = drift;
        this.circle = circle;
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
