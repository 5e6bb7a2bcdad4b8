package dev.ubm.core;

import java.util.List;

/** A validator ran and found problems (e.g. a submission breaks an organisers' rule). Exit code 1. */
public class ValidationFailedException extends UbmException {
    public ValidationFailedException(String what, List<String> problems) {
        super(ExitCode.VALIDATION_FAILED,
                what + ": " + problems.size() + " problem(s)\n  - " + String.join("\n  - ", problems), problems, null);
    }
}
