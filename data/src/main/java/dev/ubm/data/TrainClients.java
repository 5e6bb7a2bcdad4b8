package dev.ubm.data;

import dev.ubm.core.BadInputException;

import java.sql.Connection;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

/**
 * Which clients an as-of dir lists (its {@code input/relevant_clients.npy}), i.e. the rows the DCN trains on in that
 * window: the relevant clients only, the relevant clients plus every other client with an event before the as-of
 * cutoff ({@code all}), or the relevant clients plus a seeded uniform sample of those others so that the list holds
 * {@code n} clients. The relevant clients always come first, in their source order; the others follow by id. Labels
 * exist for every client, so the extra rows are free supervision; the blocks made on the as-of dir then cover them.
 *
 * @param mode how the list is chosen
 * @param n    the list size for {@link Mode#SAMPLE} (0 otherwise)
 */
public record TrainClients(Mode mode, int n) {
    /** How the list is chosen. */
    public enum Mode {
        RELEVANT, ALL, SAMPLE
    }

    /** The default of {@code ubm asof} and {@code ubm encode dcn} (see docs/dcn.md for the measured cost). */
    public static final String DEFAULT = "20000";

    public TrainClients {
        if (mode == null || (mode == Mode.SAMPLE) != (n > 0)) {
            throw new IllegalArgumentException("a sample needs n > 0, the other modes n = 0");
        }
    }

    /** {@code relevant}, {@code all} or a positive number of clients. */
    public static TrainClients parse(String value) {
        String v = value == null ? "" : value.trim().toLowerCase(java.util.Locale.ROOT);
        if (v.equals("relevant")) {
            return new TrainClients(Mode.RELEVANT, 0);
        }
        if (v.equals("all")) {
            return new TrainClients(Mode.ALL, 0);
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= 1) {
                return new TrainClients(Mode.SAMPLE, n);
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new BadInputException("--train-clients must be relevant, all or a number of clients ≥ 1, got '"
                + value + "'");
    }

    /** The flag value that {@link #parse} reads back. */
    @Override
    public String toString() {
        return mode == Mode.SAMPLE ? Integer.toString(n) : mode.name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * The list: {@code relevant} (in order), then the chosen others by id. Others are the clients with an event of
     * any type before {@code asOf} in the store ({@code events} view) that are not relevant; a sample draws
     * {@code n − |relevant|} of them uniformly with {@code seed} (all of them when fewer exist, none when the
     * relevant clients already number n or more).
     */
    public long[] select(Connection c, long[] relevant, LocalDateTime asOf, long seed) {
        if (mode == Mode.RELEVANT) {
            return relevant.clone();
        }
        Set<Long> rel = new HashSet<>(relevant.length * 2);
        for (long id : relevant) {
            rel.add(id);
        }
        java.util.stream.LongStream.Builder found = java.util.stream.LongStream.builder();
        AsOf.forEachLong(c, "SELECT DISTINCT client_id FROM events WHERE timestamp < " + AsOf.ts(asOf) + " ORDER BY 1",
                id -> {
                    if (!rel.contains(id)) {
                        found.add(id);
                    }
                });
        long[] others = found.build().toArray();
        if (mode == Mode.SAMPLE) {
            int want = Math.max(0, Math.min(others.length, n - relevant.length));
            Random rnd = new Random(seed);
            for (int i = 0; i < want; i++) { // partial Fisher-Yates: the first `want` are a uniform sample
                int j = i + rnd.nextInt(others.length - i);
                long t = others[i];
                others[i] = others[j];
                others[j] = t;
            }
            others = Arrays.copyOf(others, want);
            Arrays.sort(others);
        }
        long[] out = Arrays.copyOf(relevant, relevant.length + others.length);
        System.arraycopy(others, 0, out, relevant.length, others.length);
        return out;
    }
}
