package dev.ubm.cli;

import dev.ubm.core.UnexpectedStateException;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code ubm seq}: placeholder until its issue lands. */
@Command(name = "seq", description = "(not built yet)")
public final class EncodeSeqCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        throw new UnexpectedStateException("ubm seq is not built yet");
    }
}
