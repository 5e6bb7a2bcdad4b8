package dev.ubm.cli;

import dev.ubm.nn.Engines;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code --device cpu|gpu|auto} for the commands that train (a picocli mixin). The choice is handed to nn's
 * {@link Engines#select}, the one place every trainer (seq, DCN, MLP probe) takes its device from.
 */
public final class DeviceOption {
    @Option(names = "--device", defaultValue = "auto", paramLabel = "cpu|gpu|auto",
            description = "Where to train: cpu, gpu (exits 2 with the setup recipe when no GPU is usable) or auto "
                    + "(the GPU when usable, else the CPU; default: ${DEFAULT-VALUE}).")
    String device;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    /**
     * Selects the device for this run: {@code gpu} is checked now (exit 2 with the setup recipe when unusable);
     * {@code auto} is resolved when training starts and then says on the command's stderr what it picked and why.
     */
    public void select() {
        Engines.select(Engines.Choice.parse(device), command.commandLine().getErr()::println);
    }
}
