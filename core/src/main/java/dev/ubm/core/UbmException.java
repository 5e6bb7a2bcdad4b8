package dev.ubm.core;

import java.util.List;

/**
 * Base of ubm's expected failures. Each carries the exit code the CLI returns and a message written for the
 * user (naming file, column, value), so the CLI prints {@code [ERROR] message} without a stack trace.
 */
public class UbmException extends RuntimeException {
    private final ExitCode exitCode;
    private final List<String> problems;

    public UbmException(ExitCode exitCode, String message) {
        this(exitCode, message, List.of(), null);
    }

    public UbmException(ExitCode exitCode, String message, Throwable cause) {
        this(exitCode, message, List.of(), cause);
    }

    public UbmException(ExitCode exitCode, String message, List<String> problems, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
        this.problems = List.copyOf(problems);
    }

    public ExitCode exitCode() {
        return exitCode;
    }

    /** Every problem found, when a validator collected more than one (may be empty). */
    public List<String> problems() {
        return problems;
    }
}
