package dev.ubm.data.split;

import dev.ubm.core.AtomicFiles;
import dev.ubm.core.BadInputException;
import dev.ubm.core.ChallengeDataDir;
import dev.ubm.core.EventType;
import dev.ubm.core.Progress;
import dev.ubm.core.RunInfo;
import dev.ubm.core.Task;
import dev.ubm.core.UbmException;
import dev.ubm.data.DataValidator;
import dev.ubm.data.Duck;
import dev.ubm.data.EventStore;
import dev.ubm.data.NewSkus;
import dev.ubm.data.Npy;
import dev.ubm.data.SplitWindows;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * {@code ubm split}: reproduces the organisers' split ({@code data_utils/split_data.py}, windows from
 * {@link SplitWindows}) on a raw data dir and writes the public target lists next to it. Outputs, under the out dir:
 * <ul>
 *   <li>{@code input/<type>.parquet}: events before the train target window (timestamps as strings)</li>
 *   <li>{@code target/train_target.parquet}, {@code target/validation_target.parquet}: product_buy rows of each
 *       window with category, price and name joined (timestamp as TIMESTAMP, as pandas writes it)</li>
 *   <li>{@code target/active_clients.npy}: relevant clients with at least one product_buy in the input</li>
 *   <li>{@code target/propensity_{category,sku,new_sku,price}.npy} and {@code popularity_*.npy}</li>
 *   <li>{@code target/run.json}</li>
 * </ul>
 * Every file is written to a temp name first and renamed only when all are written, so a failed split leaves the
 * previous outputs untouched.
 * <p>
 * Given files are never replaced: an output that exists and that split did not write itself (per the
 * {@link SplitRecord} in {@code target/run.json}) is kept byte for byte, e.g. the organisers' target lists, on which
 * the leaderboard is computed. Only missing outputs and split's own earlier outputs are (re)computed. When the out
 * dir is another dir, the target lists the data dir was given are copied there instead of being computed. A list
 * that is given without its popularity file gets the popularity of its own ids (their buys in the input); a
 * popularity file given without its list is bad input (a computed list would not match it).
 */
public final class Splitter {
    /** Size of the propensity_category / propensity_sku / propensity_new_sku target lists. */
    public static final int TOP_N = 100;
    private static final String FMT = "'%Y-%m-%d %H:%M:%S'";

    /**
     * What to split: the raw data dir (events at its root), where to write (null = the data dir), the seed (the
     * split is deterministic; the seed is recorded), and whether to run the full {@link DataValidator} first.
     */
    public record Config(Path dataDir, Path outDir, long seed, boolean validate) {
        public Config {
            Objects.requireNonNull(dataDir, "dataDir");
            dataDir = dataDir.toAbsolutePath().normalize();
            outDir = outDir == null ? dataDir : outDir.toAbsolutePath().normalize();
        }

        /** Split a data dir in place, validating first. */
        public static Config of(Path dataDir) {
            return new Config(dataDir, null, 42, true);
        }

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("data_dir", dataDir.toString());
            m.put("out_dir", outDir.toString());
            m.put("validate", validate);
            m.put("days_in_target", SplitWindows.DAYS_IN_TARGET);
            m.put("top_n", TOP_N);
            return m;
        }
    }

    /** What a split wrote: the windows, rows per output, list sizes. */
    public record Result(Path outDir, SplitWindows windows, Map<String, Long> inputEvents, long trainTargetRows,
            long validationTargetRows, long activeClients, Map<String, Integer> listSizes, Map<String, String> actions,
            double seconds) {
        /** What split did with an output (path relative to the out dir): kept, copied or computed. */
        public String action(String relative) {
            return actions.getOrDefault(relative, "");
        }

        /** A few lines for the terminal, one per output file, each saying whether it was kept or computed. */
        public String summary() {
            String f = "  %-42s %s%n";
            StringBuilder sb = new StringBuilder();
            sb.append("split ").append(outDir).append(String.format(Locale.ROOT, " in %.1fs%n", seconds));
            sb.append(String.format(Locale.ROOT, f, "last product_buy", ts(windows.end())));
            sb.append(String.format(Locale.ROOT, f, "input", "events before " + ts(windows.trainStart())));
            sb.append(String.format(Locale.ROOT, f, "train target", "[" + ts(windows.trainStart()) + ", "
                    + ts(windows.validationStart()) + ")"));
            sb.append(String.format(Locale.ROOT, f, "validation target", "[" + ts(windows.validationStart()) + ", "
                    + ts(windows.end()) + "]"));
            actions.forEach((file, what) -> sb.append(String.format(Locale.ROOT, f, file, size(file) + what)));
            return sb.toString();
        }

        private String size(String file) {
            String stem = file.substring(file.lastIndexOf('/') + 1).replaceFirst("\\.[a-z]+$", "");
            long n = file.startsWith("input/") && inputEvents.containsKey(stem) ? inputEvents.get(stem)
                    : stem.equals("train_target") ? trainTargetRows
                    : stem.equals("validation_target") ? validationTargetRows : -1;
            String what = file.startsWith("input/") ? "events" : "buys";
            if (stem.equals("active_clients")) {
                n = activeClients;
                what = "clients";
            } else if (listSizes.containsKey(stem)) {
                n = listSizes.get(stem);
                what = "ids";
            }
            return n < 0 ? "" : String.format(Locale.ROOT, "%,d %s, ", n, what);
        }
    }

    /** What split does with one output file. */
    private enum Action {
        /** Given in the out dir: never touched. */
        KEEP("kept (given, not changed)"),
        /** Given in the data dir (the out dir is another dir): copied byte for byte. */
        COPY("copied from the data dir (given, not changed)"),
        /** Missing, or written by an earlier split: computed. */
        WRITE("computed");

        final String says;

        Action(String says) {
            this.says = says;
        }
    }

    private final Config cfg;
    private final List<Path[]> pending = new ArrayList<>();
    private final Map<String, String> actions = new LinkedHashMap<>();
    private final List<String> written = new ArrayList<>();
    private Connection conn;
    private ChallengeDataDir raw;
    private ChallengeDataDir out;
    private SplitRecord outRecord;
    private SplitRecord rawRecord;

    private Splitter(Config cfg) {
        this.cfg = cfg;
    }

    /** Splits the data dir of {@code cfg}; throws {@link BadInputException} (exit 2) naming any bad input. */
    public static Result split(Config cfg) {
        return new Splitter(cfg).run();
    }

    private Result run() {
        long t0 = System.nanoTime();
        raw = ChallengeDataDir.openAllEvents(cfg.dataDir());
        raw.require(ChallengeDataDir.Need.RAW_EVENTS);
        out = ChallengeDataDir.open(cfg.outDir());
        outRecord = SplitRecord.of(out.root());
        rawRecord = out.root().equals(raw.root()) ? outRecord : SplitRecord.of(raw.root());
        Map<Task, Action[]> lists = planLists();
        if (cfg.validate()) {
            DataValidator.validateRaw(raw).orThrow();
        }
        try (EventStore store = EventStore.open(raw);
                Progress progress = new Progress("split", EventType.values().length + 4, "steps")) {
            conn = store.connection();
            Duck.exec(conn, "SET preserve_insertion_order=true");
            String maxBuy = string("SELECT strftime(max(timestamp), " + FMT + ") FROM product_buy");
            if (maxBuy == null) {
                throw new BadInputException(raw.rawEventFile(EventType.PRODUCT_BUY)
                        + ": no product_buy event, so there is no end date to place the target windows");
            }
            SplitWindows w = SplitWindows.fromMaxBuy(LocalDateTime.parse(maxBuy, SplitWindows.TIMESTAMP));
            String trainStart = literal(w.trainStart());
            String valStart = literal(w.validationStart());
            String end = literal(w.end());
            Files.createDirectories(out.inputDir());
            Files.createDirectories(out.targetDir());
            checkTargetSkus(raw, trainStart, end);

            Map<String, Long> inputEvents = new LinkedHashMap<>();
            long inputTotal = 0;
            for (EventType t : EventType.values()) {
                Path target = ChallengeDataDir.findFile(out.inputDir(), t.stem())
                        .orElse(out.inputDir().resolve(t.stem() + ".parquet"));
                if (action(target, null) == Action.KEEP) {
                    progress.add(1);
                    continue;
                }
                // string timestamps (the official format) are copied as they are; TIMESTAMP columns are formatted
                Path f = raw.rawEventFile(t);
                String ts = "VARCHAR".equals(columnType(f, "timestamp")) ? "timestamp"
                        : "strftime(CAST(timestamp AS TIMESTAMP), " + FMT + ")";
                String item = t.itemKind() == EventType.ItemKind.QUERY ? "CAST(query AS VARCHAR) AS query"
                        : "CAST(" + t.itemColumn() + " AS BIGINT) AS " + t.itemColumn();
                long n = copy("SELECT CAST(client_id AS BIGINT) AS client_id, " + ts + " AS timestamp, " + item
                        + " FROM " + EventStore.reader(f) + " WHERE CAST(timestamp AS TIMESTAMP) < " + trainStart,
                        target);
                inputEvents.put(t.stem(), n);
                inputTotal += n;
                progress.add(1);
            }
            if (inputEvents.size() == EventType.values().length && inputTotal == 0) {
                throw new BadInputException("no event before the train target window starts (" + trainStart
                        + "): the data must span more than " + (2 * SplitWindows.DAYS_IN_TARGET) + " days");
            }
            String targetSql = "SELECT b.client_id, b.timestamp, b.sku, p.category, p.price, p.name FROM product_buy b "
                    + "JOIN product_properties p ON b.sku = p.sku WHERE %s ORDER BY b.client_id, b.timestamp, b.sku";
            long train = -1;
            if (action(out.trainTargetFile(), null) == Action.WRITE) {
                train = copy(String.format(targetSql, "b.timestamp >= " + trainStart + " AND b.timestamp < "
                        + valStart), out.trainTargetFile());
            }
            long validation = -1;
            if (action(out.validationTargetFile(), null) == Action.WRITE) {
                validation = copy(String.format(targetSql, "b.timestamp >= " + valStart + " AND b.timestamp <= "
                        + end), out.validationTargetFile());
            }
            progress.add(1);

            String inputBuys = "product_buy WHERE timestamp < " + trainStart;
            long[] active;
            Action activeAction = action(out.activeClientsFile(), raw.activeClientsFile());
            if (activeAction == Action.WRITE) {
                active = longs("SELECT DISTINCT client_id FROM " + inputBuys
                        + " AND client_id IN (SELECT client_id FROM relevant_clients) ORDER BY client_id").get(0);
                npy(out.activeClientsFile(), active);
            } else {
                active = given(activeAction, out.activeClientsFile(), raw.activeClientsFile());
            }
            progress.add(1);

            Map<String, Integer> sizes = new LinkedHashMap<>();
            for (Map.Entry<Task, Action[]> e : lists.entrySet()) {
                sizes.put(e.getKey().listStem(), list(e.getKey(), e.getValue(), trainStart, valStart));
            }
            progress.add(1);

            if (!out.root().equals(raw.root())) {
                if (action(out.relevantClientsFile(), null) == Action.WRITE) {
                    stage(raw.relevantClientsFile(), out.relevantClientsFile());
                }
                Path props = raw.propertiesFile();
                Path outProps = out.root().resolve(props.getFileName());
                if (action(outProps, null) == Action.WRITE) {
                    stage(props, outProps);
                }
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            Map<String, Object> config = cfg.toMap();
            config.put("end", w.end().format(SplitWindows.TIMESTAMP));
            config.put("train_start", w.trainStart().format(SplitWindows.TIMESTAMP));
            config.put("validation_start", w.validationStart().format(SplitWindows.TIMESTAMP));
            List<String> kept = new ArrayList<>(actions.keySet());
            kept.removeAll(written);
            config.put(SplitRecord.WRITTEN, written);
            config.put("kept", kept);
            // the record goes first: a split that dies while renaming may still replace what it had begun to write
            RunInfo.write(out.targetDir(), "split", config, cfg.seed(), raw.fingerprint(ChallengeDataDir.Need.RAW_EVENTS),
                    secs);
            for (Path[] p : pending) {
                AtomicFiles.commit(p[0], p[1]);
            }
            pending.clear();
            progress.add(1);
            return new Result(out.root(), w, inputEvents, train, validation, active.length, sizes,
                    new LinkedHashMap<>(actions), secs);
        } catch (IOException e) {
            throw new UncheckedIOException("split of " + cfg.dataDir() + " failed: " + e.getMessage(), e);
        } finally {
            for (Path[] p : pending) {
                AtomicFiles.deleteQuietly(p[0]);
            }
        }
    }

    private static String ts(LocalDateTime t) {
        return t.format(SplitWindows.TIMESTAMP);
    }

    private static String literal(LocalDateTime t) {
        return "TIMESTAMP '" + t.format(SplitWindows.TIMESTAMP) + "'";
    }

    /** The organisers' script asserts every target-window sku has properties (and joins m:1): so do we. */
    private void checkTargetSkus(ChallengeDataDir raw, String trainStart, String end) {
        String window = "b.timestamp >= " + trainStart + " AND b.timestamp <= " + end;
        String sql = "SELECT count(*), count(DISTINCT b.sku), arg_min(b.sku, b.timestamp), arg_min(b.client_id, "
                + "b.timestamp), strftime(min(b.timestamp), " + FMT + ") FROM product_buy b ANTI JOIN product_properties "
                + "p ON b.sku = p.sku WHERE " + window;
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            if (rs.getLong(1) > 0) {
                throw new BadInputException(String.format(Locale.ROOT, "%s: %,d product_buy events in the target "
                        + "windows (%,d distinct skus) have a sku missing from %s; first: client %d bought sku %d at %s",
                        raw.rawEventFile(EventType.PRODUCT_BUY).getFileName(), rs.getLong(1), rs.getLong(2),
                        raw.propertiesFile().getFileName(), rs.getLong(4), rs.getLong(3), rs.getString(5)));
            }
        } catch (SQLException e) {
            throw EventStore.failure(raw.root(), "check the target skus", e);
        }
        String dup = "SELECT count(*), min(sku) FROM (SELECT p.sku FROM product_properties p WHERE p.sku IN (SELECT "
                + "b.sku FROM product_buy b WHERE " + window + ") GROUP BY 1 HAVING count(*) > 1)";
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(dup)) {
            rs.next();
            if (rs.getLong(1) > 0) {
                throw new BadInputException(String.format(Locale.ROOT, "%s: %,d skus bought in the target windows "
                        + "appear more than once (first: sku %d), so joining properties would duplicate target rows",
                        raw.propertiesFile().getFileName(), rs.getLong(1), rs.getLong(2)));
            }
        } catch (SQLException e) {
            throw EventStore.failure(raw.root(), "check the target skus", e);
        }
    }

    /** Writes a query's rows to a parquet temp file beside {@code target}; returns the row count. */
    private long copy(String select, Path target) {
        Path tmp = AtomicFiles.tempBeside(target);
        pending.add(new Path[] {tmp, target});
        try (Statement st = conn.createStatement()) {
            return st.executeLargeUpdate("COPY (" + select + ") TO " + Duck.sqlPath(tmp) + " (FORMAT parquet)");
        } catch (SQLException e) {
            throw EventStore.failure(cfg.dataDir(), "write " + target.getFileName(), e);
        }
    }

    private void npy(Path target, long[] values) {
        Path tmp = AtomicFiles.tempBeside(target);
        pending.add(new Path[] {tmp, target});
        Npy.writeLongs(tmp, values);
    }

    private void stage(Path source, Path target) throws IOException {
        Path tmp = AtomicFiles.tempBeside(target);
        pending.add(new Path[] {tmp, target});
        Files.createDirectories(target.getParent());
        Files.copy(source, tmp, StandardCopyOption.REPLACE_EXISTING);
    }

    /** What to do with one output: keep it (given here), copy it from the data dir (given there) or compute it. */
    private Action decide(Path outFile, Path dataFile) {
        if (Files.exists(outFile) && !outRecord.wrote(relative(out, outFile))) {
            return Action.KEEP;
        }
        if (dataFile != null && !out.root().equals(raw.root()) && Files.isRegularFile(dataFile)
                && !rawRecord.wrote(relative(raw, dataFile))) {
            return Action.COPY;
        }
        return Action.WRITE;
    }

    /** {@link #decide}, recorded for the summary and run.json. */
    private Action action(Path outFile, Path dataFile) {
        Action a = decide(outFile, dataFile);
        String rel = relative(out, outFile);
        actions.put(rel, a.says);
        written.remove(rel);
        if (a == Action.WRITE) {
            written.add(rel);
        }
        return a;
    }

    private static String relative(ChallengeDataDir dir, Path file) {
        return dir.root().relativize(file.toAbsolutePath().normalize()).toString().replace('\\', '/');
    }

    /** A given file's ids; one given in the data dir (COPY) is staged for copying into the out dir. */
    private long[] given(Action a, Path outFile, Path dataFile) throws IOException {
        if (a == Action.KEEP) {
            return Npy.readLongs(outFile);
        }
        stage(dataFile, outFile);
        return Npy.readLongs(dataFile);
    }

    /**
     * The list and popularity actions of every propensity task, decided before any work: a popularity file given
     * without its list is bad input, since a computed list would not match it.
     */
    private Map<Task, Action[]> planLists() {
        Map<Task, Action[]> plan = new LinkedHashMap<>();
        for (Task t : Task.values()) {
            if (t.isBinary()) {
                continue;
            }
            Action list = decide(out.targetListFile(t), raw.targetListFile(t));
            Action pop = decide(out.popularityFile(t), raw.popularityFile(t));
            if (list == Action.WRITE && pop != Action.WRITE) {
                Path p = pop == Action.KEEP ? out.popularityFile(t) : raw.popularityFile(t);
                throw new BadInputException(p + " is given but " + p.resolveSibling(t.listStem() + ".npy")
                        + " is not: ubm computes a target list and its popularity together and cannot compute a "
                        + "list that matches a given popularity; add the list or remove " + p.getFileName());
            }
            plan.put(t, new Action[] {list, pop});
        }
        return plan;
    }

    /**
     * One propensity task's list and popularity: computed (top {@value #TOP_N} of the counts; price: every price
     * bucket in order), or the given list kept with its given popularity, or with the popularity of its own ids.
     */
    private int list(Task task, Action[] plan, String trainStart, String valStart) throws IOException {
        Path listFile = out.targetListFile(task);
        Path popFile = out.popularityFile(task);
        action(listFile, raw.targetListFile(task));
        action(popFile, raw.popularityFile(task));
        String counts = counts(task, trainStart, valStart);
        if (plan[0] == Action.WRITE) {
            String order = task == Task.PROPENSITY_PRICE ? " ORDER BY id" : " ORDER BY n DESC, id LIMIT " + TOP_N;
            List<long[]> cols = longs("SELECT id, n FROM (" + counts + ")" + order);
            npy(listFile, cols.get(0));
            npy(popFile, cols.get(1));
            return cols.get(0).length;
        }
        long[] ids = given(plan[0], listFile, raw.targetListFile(task));
        if (plan[1] == Action.WRITE) {
            Map<Long, Long> n = new java.util.HashMap<>();
            if (ids.length > 0) {
                StringBuilder in = new StringBuilder();
                for (long id : ids) {
                    in.append(in.length() == 0 ? "" : ", ").append(id);
                }
                List<long[]> cols = longs("SELECT id, n FROM (" + counts + ") WHERE id IN (" + in + ")");
                for (int i = 0; i < cols.get(0).length; i++) {
                    n.put(cols.get(0)[i], cols.get(1)[i]);
                }
            }
            long[] pop = new long[ids.length];
            for (int i = 0; i < ids.length; i++) {
                pop[i] = n.getOrDefault(ids[i], 0L);
            }
            npy(popFile, pop);
            actions.put(relative(out, popFile), "computed for the given list (buys of its ids in the input)");
        } else {
            given(plan[1], popFile, raw.popularityFile(task));
        }
        return ids.length;
    }

    /** {@code (id, n)}: every candidate id of a task's list with its number of buys, as the organisers count them. */
    private static String counts(Task task, String trainStart, String valStart) {
        String input = " AND timestamp < " + trainStart;
        return switch (task) {
            case PROPENSITY_CATEGORY -> "SELECT p.category AS id, count(*) AS n FROM product_buy b JOIN "
                    + "product_properties p ON b.sku = p.sku WHERE b.timestamp < " + trainStart
                    + " AND p.category IS NOT NULL GROUP BY 1";
            case PROPENSITY_SKU -> "SELECT sku AS id, count(*) AS n FROM product_buy WHERE sku IS NOT NULL" + input
                    + " GROUP BY 1";
            case PROPENSITY_NEW_SKU -> NewSkus.boughtIn(trainStart, valStart);
            case PROPENSITY_PRICE -> "SELECT pr.price AS id, count(b.sku) AS n FROM (SELECT DISTINCT price FROM "
                    + "product_properties WHERE price BETWEEN 0 AND 99) pr LEFT JOIN (SELECT p.price, b.sku FROM "
                    + "product_buy b JOIN product_properties p ON b.sku = p.sku WHERE b.timestamp < " + trainStart
                    + ") b ON b.price = pr.price GROUP BY 1";
            default -> throw new IllegalArgumentException(task + " has no target list");
        };
    }

    private String columnType(Path file, String column) {
        try (Statement st = conn.createStatement();
                ResultSet rs = st.executeQuery("SELECT column_type FROM (DESCRIBE SELECT * FROM " + EventStore.reader(file)
                        + ") WHERE column_name = '" + column + "'")) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            throw EventStore.failure(cfg.dataDir(), "read the columns of " + file.getFileName(), e);
        }
    }

    private String string(String sql) {
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            throw EventStore.failure(cfg.dataDir(), "read the last product_buy", e);
        }
    }

    /** All rows of a query as long columns. */
    private List<long[]> longs(String sql) {
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            int k = rs.getMetaData().getColumnCount();
            List<long[]> cols = new ArrayList<>();
            for (int j = 0; j < k; j++) {
                cols.add(new long[16]);
            }
            int n = 0;
            while (rs.next()) {
                if (n == cols.get(0).length) {
                    for (int j = 0; j < k; j++) {
                        cols.set(j, java.util.Arrays.copyOf(cols.get(j), n * 2));
                    }
                }
                for (int j = 0; j < k; j++) {
                    cols.get(j)[n] = rs.getLong(j + 1);
                }
                n++;
            }
            for (int j = 0; j < k; j++) {
                cols.set(j, java.util.Arrays.copyOf(cols.get(j), n));
            }
            return cols;
        } catch (SQLException e) {
            UbmException u = EventStore.failure(cfg.dataDir(), "compute the target lists", e);
            throw u;
        }
    }
}
