package dev.ubm.cli;

import dev.ubm.core.UnexpectedStateException;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code ubm features}: placeholder until its issue lands. */
@Command(name = "features", description = "(not built yet)")
public final class FeaturesCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        throw new UnexpectedStateException("ubm features is not built yet");
    }
}
