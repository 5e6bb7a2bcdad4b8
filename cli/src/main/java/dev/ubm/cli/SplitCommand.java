package dev.ubm.cli;

import dev.ubm.core.OutputDir;
import dev.ubm.data.split.Splitter;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ubm split}: the organisers' train/validation split of a raw data dir, plus the public target lists. */
@Command(name = "split", header = "Split a raw data dir into input/ events and target/ windows, as the organisers do.", mixinStandardHelpOptions = true,
        description = {"Split a raw data dir as the organisers do (data_utils/split_data.py): input/ events before the "
                + "train target window, target/train_target.parquet and validation_target.parquet (14 days each, "
                + "properties joined), target/active_clients.npy and the propensity_*/popularity_* lists.",
            "The raw files are fully validated first (as 'ubm validate-data'); bad input exits 2."})
public final class SplitCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Option(names = "--data-dir", required = true, description = "Raw data dir (events + product_properties at the "
            + "root, input/relevant_clients.npy).")
    Path dataDir;

    @Option(names = "--out-dir", description = "Where to write input/ and target/ (default: the data dir).")
    Path outDir;

    @Option(names = "--no-validate", description = "Skip the full value checks (columns and types are still checked).")
    boolean noValidate;

    @Override
    public Integer call() {
        OutputDir.requireWritable(outDir != null ? outDir : dataDir, outDir != null ? "--out-dir" : "--data-dir");
        Splitter.Result r = Splitter.split(new Splitter.Config(dataDir, outDir, common.seed(), !noValidate));
        spec.commandLine().getOut().print(r.summary());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
