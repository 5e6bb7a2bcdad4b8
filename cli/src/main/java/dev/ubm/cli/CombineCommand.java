package dev.ubm.cli;

import dev.ubm.core.BadInputException;
import dev.ubm.core.BlockDir;
import dev.ubm.core.ChallengeDataDir;
import dev.ubm.core.OutputDir;
import dev.ubm.data.BlockCheck;
import dev.ubm.data.RelevantClients;
import dev.ubm.submission.BlockSpec;
import dev.ubm.submission.CombineConfig;
import dev.ubm.submission.Combiner;
import dev.ubm.submission.Scaling;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ubm combine}: scales, reduces, weights and concatenates blocks into a float16 submission dir. */
@Command(name = "combine", header = "Combine block dirs into one float16 submission.", mixinStandardHelpOptions = true,
        description = {"Combines block dirs into one submission (client_ids.npy int64, embeddings.npy float16, block.json):",
            "per-block scaling (default by block.json component: features/baseline/gnn-walks -> standard, learned blocks -> l2), "
                + "weights, PCA of blocks wider than --pca-above, at most --max-dims columns, block-mean imputation "
                + "of missing clients, rows shuffled with --seed.",
            "A block is named by its dir name, or NAME=DIR in --blocks."})
public final class CombineCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Option(names = "--blocks", arity = "1..*", required = true, description = "Block dirs (or NAME=DIR), in column order.")
    List<String> blocks;

    @Option(names = "--embeddings-dir", required = true, description = "Output submission dir (an embeddings dir, as the organisers name it).")
    Path out;

    @Option(names = "--data-dir", description = "Data dir whose input/relevant_clients.npy lists the clients "
            + "(default: the client ids of the first block).")
    Path dataDir;

    @Option(names = "--scaling", arity = "1..*", description = "NAME=none|standard|quantile|l2 per block.")
    List<String> scaling;

    @Option(names = "--weights", arity = "1..*", description = "One weight per block, or NAME=W (default 1).")
    List<String> weights;

    @Option(names = "--pca", arity = "1..*", description = "NAME=K: PCA size of a block (0 = never reduce it).")
    List<String> pca;

    @Option(names = "--pca-above", defaultValue = "" + CombineConfig.DEFAULT_PCA_ABOVE,
            description = "Blocks wider than this are reduced by PCA (default: ${DEFAULT-VALUE}).")
    int pcaAbove;

    @Option(names = "--pca-dims", defaultValue = "" + CombineConfig.DEFAULT_PCA_DIMS,
            description = "...to this many dims (default: ${DEFAULT-VALUE}).")
    int pcaDims;

    @Option(names = "--max-dims", defaultValue = "" + BlockCheck.MAX_DIMS,
            description = "Most columns of the output (default: ${DEFAULT-VALUE}, the organisers' limit).")
    int maxDims;

    @Option(names = "--fit-rows", defaultValue = "" + CombineConfig.DEFAULT_FIT_ROWS,
            description = "Rows (a seeded sample) that fit the scalers and PCA (default: ${DEFAULT-VALUE}).")
    int fitRows;

    @Option(names = "--clip", defaultValue = "" + CombineConfig.DEFAULT_CLIP,
            description = "Standard scaling clips to ±clip (0 = off; default: ${DEFAULT-VALUE}).")
    double clip;

    @Override
    public Integer call() {
        OutputDir.requireWritable(out, "--embeddings-dir");
        List<BlockSpec> specs = new ArrayList<>();
        for (String b : blocks) {
            int eq = b.indexOf('=');
            if (eq > 0 && b.substring(0, eq).matches("[A-Za-z0-9_.-]+")) {
                specs.add(new BlockSpec(Path.of(b.substring(eq + 1)), b.substring(0, eq), null, 1.0, null));
            } else {
                specs.add(BlockSpec.of(Path.of(b)));
            }
        }
        List<String> names = new ArrayList<>();
        for (BlockSpec s : specs) {
            names.add(s.name());
        }
        for (Map.Entry<String, String> e : pairs("--scaling", scaling, names).entrySet()) {
            int i = names.indexOf(e.getKey());
            specs.set(i, specs.get(i).withScaling(Scaling.ofName(e.getValue())));
        }
        if (weights != null) {
            boolean positional = weights.stream().noneMatch(w -> w.contains("="));
            if (positional) {
                if (weights.size() != specs.size()) {
                    throw new BadInputException("--weights has " + weights.size() + " values for " + specs.size()
                            + " blocks (give one per block, or NAME=W)");
                }
                for (int i = 0; i < specs.size(); i++) {
                    specs.set(i, specs.get(i).withWeight(number("--weights", weights.get(i))));
                }
            } else {
                for (Map.Entry<String, String> e : pairs("--weights", weights, names).entrySet()) {
                    int i = names.indexOf(e.getKey());
                    specs.set(i, specs.get(i).withWeight(number("--weights", e.getValue())));
                }
            }
        }
        for (Map.Entry<String, String> e : pairs("--pca", pca, names).entrySet()) {
            int i = names.indexOf(e.getKey());
            specs.set(i, specs.get(i).withPcaDims((int) number("--pca", e.getValue())));
        }
        CombineConfig cfg = new CombineConfig(specs, maxDims, pcaAbove, pcaDims, fitRows,
                CombineConfig.DEFAULT_QUANTILES, clip, common.seed());
        long[] clients = null;
        if (dataDir != null) {
            Path rel = ChallengeDataDir.open(dataDir).relevantClientsFile();
            if (!Files.isRegularFile(rel)) {
                throw new BadInputException("missing file " + rel);
            }
            clients = RelevantClients.read(rel);
        }
        List<Combiner.BlockReport> reports = Combiner.combine(cfg, clients, out);
        PrintWriter o = spec.commandLine().getOut();
        int total = 0;
        for (Combiner.BlockReport r : reports) {
            total += r.dimsOut();
            o.println(String.format(Locale.ROOT, "  %-16s %-10s %5d -> %4d dims  %-8s x%.3g%s%s", r.name(),
                    r.component(), r.dimsIn(), r.dimsOut(), r.scaling().cliName(), r.weight(),
                    r.pca() ? String.format(Locale.ROOT, "  PCA keeps %.1f%% of the variance",
                            100 * r.explainedVariance()) : "",
                    r.missingClients() > 0 ? "  " + r.missingClients() + " missing clients imputed" : ""));
        }
        BlockDir.Meta meta = new BlockDir(out).readMeta();
        o.println(String.format(Locale.ROOT, "combined %d blocks: %d clients x %d dims float16 (rows shuffled, seed %d) in %.1f s -> %s",
                reports.size(), meta.rows(), total, common.seed(), meta.wallSeconds(), new BlockDir(out).dir()));
        return 0;
    }

    private static Map<String, String> pairs(String flag, List<String> values, List<String> names) {
        Map<String, String> m = new LinkedHashMap<>();
        if (values == null) {
            return m;
        }
        for (String v : values) {
            int eq = v.indexOf('=');
            if (eq <= 0) {
                throw new BadInputException(flag + " expects NAME=VALUE, got '" + v + "'");
            }
            String name = v.substring(0, eq);
            if (!names.contains(name)) {
                throw new BadInputException(flag + ": no block named '" + name + "' (blocks: " + String.join(", ", names) + ")");
            }
            m.put(name, v.substring(eq + 1));
        }
        return m;
    }

    private static double number(String flag, String v) {
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new BadInputException(flag + ": '" + v + "' is not a number");
        }
    }
}
