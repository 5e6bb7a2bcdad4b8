package dev.ubm.data;

import java.time.LocalDateTime;

/**
 * Which events {@link ClientSequences#forEach} delivers: only relevant clients or all, only each client's last
 * {@code lastN} events (0 = all), only events strictly before {@code before} (null = all).
 */
public record SequenceOptions(boolean relevantOnly, int lastN, LocalDateTime before) {
    public SequenceOptions {
        if (lastN < 0) {
            throw new IllegalArgumentException("lastN must be >= 0 (0 = all), got " + lastN);
        }
    }

    /** Every event of every client. */
    public static SequenceOptions all() {
        return new SequenceOptions(false, 0, null);
    }

    /** Every event of the relevant clients. */
    public static SequenceOptions relevant() {
        return new SequenceOptions(true, 0, null);
    }
}
