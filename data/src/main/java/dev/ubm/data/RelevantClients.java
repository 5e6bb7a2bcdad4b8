package dev.ubm.data;

import dev.ubm.core.BadInputException;
import dev.ubm.core.ChallengeDataDir;

import java.nio.file.Path;

/**
 * The one reader of {@code input/relevant_clients.npy}: a 1-D int64 array with at least one id. Every stage that
 * needs the relevant clients reads them here, so an empty or malformed list fails the same way everywhere (exit 2,
 * naming the file) instead of producing a 0-row block.
 */
public final class RelevantClients {
    /** What an empty list is called, by this reader and by {@link DataValidator}. */
    static final String EMPTY = "no client ids (the array is empty; at least one relevant client is needed)";

    private RelevantClients() {
    }

    /** The relevant clients of a data dir, in file order. */
    public static long[] read(ChallengeDataDir dir) {
        return read(dir.relevantClientsFile());
    }

    /** The client ids of a relevant-clients file, in file order; throws {@link BadInputException} when empty. */
    public static long[] read(Path file) {
        long[] ids = Npy.readLongs(file);
        if (ids.length == 0) {
            throw new BadInputException(file + ": " + EMPTY);
        }
        return ids;
    }
}
