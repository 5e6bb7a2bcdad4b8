package dev.ubm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ubm.core.ChallengeDataDir.Format;
import dev.ubm.core.EventType;
import dev.ubm.data.HandWorld;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-input table (docs/errors.md): every bad file walked through every stage that reads it, and every bad
 * output path or flag through every command that takes it. Each run must exit with the documented code before any
 * work, with a message that names the file (or flag) and the value, and leave no block behind.
 */
class BadInputTableTest {
    @TempDir
    static Path tmp;

    /** A bad data dir: how to make it, and what every message about it must name. */
    private record DataCase(String name, Function<Path, Path> make, List<String> names) {
    }

    private static final String TS = "2022-01-04 00:00:00";

    private static final List<DataCase> DATA_CASES = List.of(
            new DataCase("null client_id (csv)", d -> write(HandWorld.small()
                    .event(EventType.PAGE_VISIT, null, TS, 502), d, Format.CSV), List.of("page_visit.csv", "client_id",
                    "NULL")),
            new DataCase("null sku (parquet)", d -> write(HandWorld.small()
                    .event(EventType.PRODUCT_BUY, 1, TS, null), d, Format.PARQUET), List.of("product_buy.parquet", "sku",
                    "NULL")),
            new DataCase("malformed query", d -> write(HandWorld.small().search(2, TS, "[1 2"), d, Format.CSV),
                    List.of("search_query.csv", "query", "'[1 2'")),
            new DataCase("duplicate sku", d -> write(HandWorld.small().product(11, 3, 4, "[1]"), d, Format.PARQUET),
                    List.of("product_properties.parquet", "duplicate sku", "sku 11")),
            new DataCase("unparsable timestamp (parquet)", d -> write(HandWorld.small()
                    .visit(3, "2022-13-01 00:00:00", 500), d, Format.PARQUET), List.of("page_visit.parquet", "timestamp",
                    "'2022-13-01 00:00:00'")),
            new DataCase("bad value in csv", d -> write(HandWorld.small().event(EventType.ADD_TO_CART, 2, TS, "x1"), d,
                    Format.CSV), List.of("add_to_cart.csv", "sku", "'x1'")),
            new DataCase("empty relevant_clients.npy", d -> write(HandWorld.small().relevant(), d, Format.PARQUET),
                    List.of("relevant_clients.npy", "no client ids")),
            new DataCase("cut .npy header", d -> {
                write(HandWorld.small(), d, Format.PARQUET);
                cut(d.resolve("input/relevant_clients.npy"), 20);
                return d;
            }, List.of("relevant_clients.npy", "npy header truncated (needs 128 bytes, has 20)")), // Npy's header: 128
            new DataCase("all-empty world", d -> write(new HandWorld().relevant(1, 2), d, Format.CSV),
                    List.of("no events")));

    /** Commands that read a data dir's events, properties and relevant clients: args for (data dir, output). */
    private static final Map<String, BiFunction<Path, Path, List<String>>> EVENT_READERS = Map.of(
            "features", (d, o) -> List.of("features", "--data-dir", d.toString(), "--embeddings-dir", o.toString()),
            "gnn", (d, o) -> List.of("gnn", "--data-dir", d.toString(), "--embeddings-dir", o.toString()),
            "encode seq", (d, o) -> List.of("encode", "seq", "--data-dir", d.toString(), "--embeddings-dir",
                    o.toString()),
            "asof", (d, o) -> List.of("asof", "--data-dir", d.toString(), "--out-dir", o.toString(),
                    "--label-days", "1"),
            "split", (d, o) -> List.of("split", "--data-dir", d.toString(), "--out-dir", o.toString()),
            "validate-data", (d, o) -> List.of("validate-data", "--data-dir", d.toString()));

    /** Commands that read only relevant_clients.npy (beyond their own blocks). */
    private static final Map<String, BiFunction<Path, Path, List<String>>> RELEVANT_READERS = Map.of(
            "validate", (d, o) -> List.of("validate", "--data-dir", d.toString(), "--embeddings-dir", o.toString()),
            "combine", (d, o) -> List.of("combine", "--blocks", o.resolve("noblock").toString(), "--data-dir",
                    d.toString(), "--embeddings-dir", o.toString()));

    private static final Map<String, Path> WORLDS = new HashMap<>();

    static Stream<Arguments> dataCases() {
        List<Arguments> out = new ArrayList<>();
        for (DataCase c : DATA_CASES) {
            for (String stage : EVENT_READERS.keySet().stream().sorted().toList()) {
                out.add(Arguments.of(c.name(), stage));
            }
            if (c.name().contains(".npy")) {
                for (String stage : RELEVANT_READERS.keySet().stream().sorted().toList()) {
                    out.add(Arguments.of(c.name(), stage));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("dataCases")
    void everyStageRefusesABadFileNamingFileAndValue(String caseName, String stage) {
        DataCase c = DATA_CASES.stream().filter(x -> x.name().equals(caseName)).findFirst().orElseThrow();
        Path data = world(c);
        Path out = tmp.resolve("out").resolve(caseName.replaceAll("[^a-z0-9]+", "-") + "-" + stage.replace(' ', '-'));
        BiFunction<Path, Path, List<String>> args = EVENT_READERS.getOrDefault(stage, RELEVANT_READERS.get(stage));
        List<String> argv = new ArrayList<>(args.apply(data, out));
        argv.add("--quiet");
        CliRunner.Result r = CliRunner.run(argv.toArray(String[]::new));
        String text = r.err() + r.out();
        int expected = stage.equals("validate-data") ? 1 : 2;
        assertEquals(expected, r.code(), text);
        // the stage may first say which events it reads; the error is a line of its own
        assertTrue(text.lines().anyMatch(l -> l.startsWith("[ERROR] ")), text);
        for (String n : c.names()) {
            assertTrue(text.contains(n), "'" + n + "' missing from: " + text);
        }
        assertFalse(text.contains("internal error"), text);
        assertFalse(Files.exists(out.resolve("block.json")), "a block was written");
    }

    // ------------------------------------------------------------------ output paths and flags

    /** A bad output path or flag: the command line (given a valid world and a scratch dir) and what it must name. */
    private record FlagCase(String name, BiFunction<Path, Path, List<String>> args, List<String> names) {
    }

    private static final Path UNWRITABLE = Path.of("/proc/self/ubm-out");

    static Stream<Arguments> flagCases() {
        List<FlagCase> cases = new ArrayList<>();
        for (String flag : List.of("features", "gnn", "encode seq")) {
            cases.add(new FlagCase(flag + " --embeddings-dir is a file", (d, s) -> with(EVENT_READERS.get(flag)
                    .apply(d, s.resolve("file"))), List.of(s("file") + " exists and is a file", "--embeddings-dir")));
            cases.add(new FlagCase(flag + " --embeddings-dir below a file", (d, s) -> with(EVENT_READERS.get(flag)
                    .apply(d, s.resolve("file/emb"))), List.of(s("file") + " exists and is a file")));
            cases.add(new FlagCase(flag + " --embeddings-dir not writable", (d, s) -> with(EVENT_READERS.get(flag)
                    .apply(d, UNWRITABLE)), List.of(UNWRITABLE + " is not writable", "--embeddings-dir")));
        }
        cases.add(new FlagCase("encode dcn --embeddings-dir is a file", (d, s) -> List.of("encode", "dcn",
                "--data-dir", d.toString(), "--features", s.resolve("nofeatures").toString(), "--embeddings-dir",
                s.resolve("file").toString()), List.of(s("file") + " exists and is a file")));
        cases.add(new FlagCase("probe --score-dir is a file", (d, s) -> List.of("probe", "--data-dir", d.toString(),
                "--embeddings-dir", s.resolve("noemb").toString(), "--score-dir", s.resolve("file").toString()),
                List.of(s("file") + " exists and is a file", "--score-dir")));
        cases.add(new FlagCase("ablate --score-dir is a file", (d, s) -> List.of("ablate", "--data-dir", d.toString(),
                "--blocks", "a=" + s.resolve("noemb"), "--score-dir", s.resolve("file").toString()),
                List.of(s("file") + " exists and is a file", "--score-dir")));
        cases.add(new FlagCase("combine --embeddings-dir is a file", (d, s) -> List.of("combine", "--data-dir", d.toString(),
                "--blocks", s.resolve("noemb").toString(), "--embeddings-dir", s.resolve("file").toString()),
                List.of(s("file") + " exists and is a file", "--embeddings-dir")));
        cases.add(new FlagCase("asof --out-dir is a file", (d, s) -> EVENT_READERS.get("asof").apply(d,
                s.resolve("file")), List.of(s("file") + " exists and is a file", "--out-dir")));
        cases.add(new FlagCase("split --out-dir is a file", (d, s) -> EVENT_READERS.get("split").apply(d,
                s.resolve("file")), List.of(s("file") + " exists and is a file", "--out-dir")));
        cases.add(new FlagCase("synth --out-dir is a file", (d, s) -> List.of("synth", "--clients", "50",
                "--relevant-clients", "10", "--out-dir", s.resolve("file").toString()),
                List.of(s("file") + " exists and is a file", "--out-dir")));
        cases.add(new FlagCase("encode seq --epochs 0", (d, s) -> with(EVENT_READERS.get("encode seq")
                .apply(d, s.resolve("emb")), "--epochs", "0"), List.of("epochs must be >= 1", "got 0")));
        cases.add(new FlagCase("gnn --epochs 0", (d, s) -> with(EVENT_READERS.get("gnn").apply(d, s.resolve("emb")),
                "--epochs", "0"), List.of("epochs must be >= 1", "got 0")));
        cases.add(new FlagCase("validate --max-dims -1", (d, s) -> List.of("validate", "--data-dir", d.toString(),
                "--embeddings-dir", s.resolve("emb").toString(), "--max-dims", "-1"), List.of("--max-dims", "-1")));
        return cases.stream().map(c -> Arguments.of(c.name(), c));
    }

    /** The path of {@code name} in the scratch dir of the flag cases (tmp/flags). */
    private static String s(String name) {
        return tmp.resolve("flags").resolve(name).toString();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("flagCases")
    void everyCommandRefusesABadOutputPathOrFlagBeforeWorking(String name, FlagCase c) throws IOException {
        if (name.contains("not writable")) {
            assumeTrue(Files.isDirectory(UNWRITABLE.getParent()), "needs /proc");
        }
        Path scratch = Files.createDirectories(tmp.resolve("flags"));
        Files.writeString(scratch.resolve("file"), "not a dir");
        Path data = world(VALID);
        CliRunner.Result r = CliRunner.run(with(c.args().apply(data, scratch), "--quiet").toArray(String[]::new));
        String text = r.err() + r.out();
        assertEquals(2, r.code(), text);
        for (String n : c.names()) {
            assertTrue(text.contains(n), "'" + n + "' missing from: " + text);
        }
        assertEquals("not a dir", Files.readString(scratch.resolve("file")));
        assertFalse(Files.exists(scratch.resolve("emb")), "an output was written");
    }

    private static final DataCase VALID = new DataCase("valid", d -> write(HandWorld.small(), d, Format.CSV),
            List.of());

    // ------------------------------------------------------------------ helpers

    private static synchronized Path world(DataCase c) {
        return WORLDS.computeIfAbsent(c.name(), n -> c.make().apply(tmp.resolve("worlds")
                .resolve(n.replaceAll("[^a-z0-9]+", "-"))));
    }

    private static Path write(HandWorld w, Path dir, Format f) {
        w.write(dir, f);
        return dir;
    }

    private static void cut(Path file, int bytes) {
        try {
            byte[] b = Files.readAllBytes(file);
            Files.write(file, java.util.Arrays.copyOf(b, bytes));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> with(List<String> args, String... more) {
        List<String> l = new ArrayList<>(args);
        l.addAll(List.of(more));
        return l;
    }
}
