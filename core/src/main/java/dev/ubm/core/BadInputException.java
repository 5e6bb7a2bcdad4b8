package dev.ubm.core;

import java.util.List;

/** Input that cannot be used: missing file or column, wrong type, NaN, duplicate id... Exit code 2. */
public class BadInputException extends UbmException {
    public BadInputException(String message) {
        super(ExitCode.BAD_INPUT, message);
    }

    public BadInputException(String message, Throwable cause) {
        super(ExitCode.BAD_INPUT, message, cause);
    }

    /** One exception for several problems; the message lists them all. */
    public static BadInputException of(String what, List<String> problems) {
        return new BadInputException(what + ": " + problems.size() + " problem(s)\n  - " + String.join("\n  - ", problems),
                problems);
    }

    private BadInputException(String message, List<String> problems) {
        super(ExitCode.BAD_INPUT, message, problems, null);
    }
}
