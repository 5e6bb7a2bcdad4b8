package dev.ubm.core;

/** The disk is not in the state this stage expects, e.g. probe before split. Exit code 3. */
public class UnexpectedStateException extends UbmException {
    public UnexpectedStateException(String message) {
        super(ExitCode.UNEXPECTED_STATE, message);
    }

    public UnexpectedStateException(String message, Throwable cause) {
        super(ExitCode.UNEXPECTED_STATE, message, cause);
    }
}
