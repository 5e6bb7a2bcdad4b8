package dev.ubm.cli;

import dev.ubm.core.UnexpectedStateException;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code ubm ablate}: placeholder until its issue lands. */
@Command(name = "ablate", description = "(not built yet)")
public final class AblateCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        throw new UnexpectedStateException("ubm ablate is not built yet");
    }
}
