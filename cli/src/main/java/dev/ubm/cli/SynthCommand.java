package dev.ubm.cli;

import dev.ubm.core.BadInputException;
import dev.ubm.core.ExitCode;
import dev.ubm.core.OutputDir;
import dev.ubm.core.RunInfo;
import dev.ubm.data.synth.Profile;
import dev.ubm.data.synth.SynthConfig;
import dev.ubm.data.synth.SyntheticWorld;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code ubm synth}: writes the embedded synthetic world (raw challenge layout + oracle) into a data dir, with
 * run.json next to it. The world and what it plants are described in docs/synth.md.
 */
@Command(name = "synth", header = "Generate a synthetic world in the challenge's raw layout, with an oracle.", description = "Generate a synthetic world in the challenge's raw layout, with an oracle.")
public final class SynthCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Option(names = "--clients", defaultValue = "50000", description = "Clients (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--relevant-clients", defaultValue = "10000",
            description = "Relevant clients, fewer than --clients (default: ${DEFAULT-VALUE}).")
    int relevantClients;

    @Option(names = "--days", defaultValue = "150",
            description = "Simulated days, at least 35 (default: ${DEFAULT-VALUE}).")
    int days;

    @Option(names = "--oracle-draws", defaultValue = "100",
            description = "Simulated futures of the validation window behind each oracle probability "
                    + "(default: ${DEFAULT-VALUE}).")
    int oracleDraws;

    @Option(names = "--profile", defaultValue = "default",
            description = "Generator profile: default (the original world) or structured (adds intent drift, "
                    + "co-purchase circles and bots; see docs/synth.md) (default: ${DEFAULT-VALUE}).")
    String profile;

    @Option(names = "--out-dir", required = true, description = "Data dir to write (must be empty or absent unless --force).")
    Path out;

    @Option(names = "--force", description = "Write into a non-empty dir, replacing the world's files and removing "
            + "split outputs (input/*.parquet, target/) that would no longer match.")
    boolean force;

    @Override
    public Integer call() {
        OutputDir.requireWritable(out, "--out-dir");
        SynthConfig cfg = SynthConfig.of(clients, relevantClients, days, common.seed()).withOracleDraws(oracleDraws)
                .withProfile(Profile.of(profile));
        prepareOut();
        SyntheticWorld.Result res = SyntheticWorld.generate(cfg, out);
        Map<String, Object> config = new LinkedHashMap<>(cfg.toMap());
        config.put("out", out.toAbsolutePath().toString());
        RunInfo.write(out, "synth", config, cfg.seed(), "none (generated)", res.seconds());
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("synth: %,d clients (%,d relevant), %d days, profile %s -> %s in %.1f s%n", clients,
                relevantClients, days, cfg.profile().label(), out, res.seconds()));
        res.events().forEach((k, v) -> sb.append(String.format("  %-18s %,12d rows%n", k, v)));
        sb.append(String.format("  %-18s %,12d skus%n", "product_properties", res.skusWritten()));
        sb.append(String.format("  windows: train target from %s, validation from %s to %s (max product_buy)%n",
                res.windows().trainStart(), res.windows().validationStart(), res.windows().end()));
        Map<String, Object> o = res.oracle();
        sb.append(String.format("  oracle: %d draws; churn rate %.3f realised vs %.3f predicted, AUROC %.3f (%s active "
                + "relevant clients)%n", cfg.oracleDraws(), num(o.get("churn_realised_rate")),
                num(o.get("churn_oracle_mean")), num(o.get("churn_oracle_auroc")), o.get("active_relevant_clients")));
        spec.commandLine().getOut().print(sb);
        spec.commandLine().getOut().flush();
        return ExitCode.OK.code();
    }

    private static double num(Object o) {
        return o instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    private void prepareOut() {
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new BadInputException("--out-dir " + out + " is a file, not a directory");
        }
        if (!Files.isDirectory(out)) {
            return;
        }
        boolean empty;
        try (Stream<Path> s = Files.list(out)) {
            empty = s.findAny().isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + out, e);
        }
        if (empty) {
            return;
        }
        if (!force) {
            throw new BadInputException("--out-dir " + out + " is not empty (use --force to replace the world there)");
        }
        try {
            for (String stem : new String[] {"product_buy", "add_to_cart", "remove_from_cart", "page_visit",
                "search_query"}) {
                Files.deleteIfExists(out.resolve("input").resolve(stem + ".parquet"));
            }
            deleteTree(out.resolve("target"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean " + out + ": " + e.getMessage(), e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s.sorted((a, b) -> b.compareTo(a))::iterator) {
                Files.delete(p);
            }
        }
    }
}
