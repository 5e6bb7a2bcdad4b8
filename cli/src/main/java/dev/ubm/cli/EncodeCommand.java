package dev.ubm.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ubm encode seq|dcn}: the learned encoders. */
@Command(name = "encode", header = "Train a learned encoder (seq or dcn) and write its block.", mixinStandardHelpOptions = true,
        description = "Encoders: seq (the causal sequence transformer) and dcn (DCN-v2 over PLE-encoded features). "
                + "See 'ubm encode seq --help' and 'ubm encode dcn --help'.",
        subcommands = {EncodeSeqCommand.class, EncodeDcnCommand.class})
public final class EncodeCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing encoder: seq or dcn");
    }
}
