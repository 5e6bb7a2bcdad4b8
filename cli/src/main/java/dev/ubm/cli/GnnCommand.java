package dev.ubm.cli;

import dev.ubm.core.UnexpectedStateException;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code ubm gnn}: placeholder until its issue lands. */
@Command(name = "gnn", description = "(not built yet)")
public final class GnnCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        throw new UnexpectedStateException("ubm gnn is not built yet");
    }
}
