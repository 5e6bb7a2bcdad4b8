package dev.ubm.cli;

import dev.ubm.core.UnexpectedStateException;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code ubm combine}: placeholder until its issue lands. */
@Command(name = "combine", description = "(not built yet)")
public final class CombineCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        throw new UnexpectedStateException("ubm combine is not built yet");
    }
}
