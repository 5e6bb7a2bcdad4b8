package dev.ubm.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ubm encode seq|dcn}: the learned encoders. */
@Command(name = "encode", description = "Train a learned encoder and write its block.",
        subcommands = {EncodeSeqCommand.class, EncodeDcnCommand.class})
public final class EncodeCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing encoder: seq or dcn");
    }
}
