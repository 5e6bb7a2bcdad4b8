package dev.ubm.core;

import java.io.PrintStream;
import java.io.PrintWriter;

/**
 * Where a stage reports what it is doing, one progress line at a time ("gnn: 3 of 400 relevant clients have no
 * edge"). Every stage takes one; the cli prints the lines to stderr, tests pass {@link #NONE} or collect them.
 */
@FunctionalInterface
public interface StageListener {
    /** Drops every line. */
    StageListener NONE = line -> { };

    void progress(String line);

    /** Prints each line to {@code out} and flushes. */
    static StageListener to(PrintStream out) {
        return line -> {
            out.println(line);
            out.flush();
        };
    }

    /** Prints each line to {@code out} and flushes. */
    static StageListener to(PrintWriter out) {
        return line -> {
            out.println(line);
            out.flush();
        };
    }
}
