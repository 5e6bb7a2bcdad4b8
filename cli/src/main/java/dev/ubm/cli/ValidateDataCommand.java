package dev.ubm.cli;

import dev.ubm.core.UnexpectedStateException;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code ubm validate-data}: placeholder until its issue lands. */
@Command(name = "validate-data", description = "(not built yet)")
public final class ValidateDataCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        throw new UnexpectedStateException("ubm validate-data is not built yet");
    }
}
