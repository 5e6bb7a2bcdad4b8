package dev.ubm.core;

/** The CLI's exit codes, a contract documented in the README: scripts may rely on them. */
public enum ExitCode {
    /** Everything worked. */
    OK(0),
    /** The input was read fine but failed validation (e.g. {@code ubm validate} found problems). */
    VALIDATION_FAILED(1),
    /** Bad input: missing file or column, wrong type, unparsable value, bad flag. */
    BAD_INPUT(2),
    /** The state on disk is not what this stage expects (e.g. a stage run before the one it builds on). */
    UNEXPECTED_STATE(3),
    /** A bug in ubm or a failure of a library. */
    INTERNAL_ERROR(4),
    /** The JVM ran out of heap: the data needs a larger {@code -Xmx} (set through {@code UBM_JAVA_OPTS}). */
    OUT_OF_MEMORY(5);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
