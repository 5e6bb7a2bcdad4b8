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
            long validationTargetRows, long activeClients, Map<String, Integer> listSizes, double seconds) {
        /** A few lines for the terminal. */
        public String summary() {
            String f = "  %-32s %s%n";
            StringBuilder sb = new StringBuilder();
            sb.append("split ").append(outDir).append(String.format(Locale.ROOT, " in %.1fs%n", seconds));
            sb.append(String.format(Locale.ROOT, f, "last product_buy", ts(windows.end())));
            sb.append(String.format(Locale.ROOT, f, "input", "events before " + ts(windows.trainStart())));
            sb.append(String.format(Locale.ROOT, f, "train target", "[" + ts(windows.trainStart()) + ", "
                    + ts(windows.validationStart()) + String.format(Locale.ROOT, ")  %,d buys", trainTargetRows)));
            sb.append(String.format(Locale.ROOT, f, "validation target", "[" + ts(windows.validationStart()) + ", "
                    + ts(windows.end()) + String.format(Locale.ROOT, "]  %,d buys", validationTargetRows)));
            inputEvents.forEach((k, v) -> sb.append(String.format(Locale.ROOT, f, "input/" + k + ".parquet",
                    String.format(Locale.ROOT, "%,d events", v))));
            sb.append(String.format(Locale.ROOT, f, "target/active_clients.npy",
                    String.format(Locale.ROOT, "%,d clients", activeClients)));
            listSizes.forEach((k, v) -> sb.append(String.format(Locale.ROOT, f, "target/" + k + ".npy", v + " ids")));
            return sb.toString();
        }
    }

    private final Config cfg;
    private final List<Path[]> pending = new ArrayList<>();
    private Connection conn;

    private Splitter(Config cfg) {
        this.cfg = cfg;
    }

    /** Splits the data dir of {@code cfg}; throws {@link BadInputException} (exit 2) naming any bad input. */
    public static Result split(Config cfg) {
        return new Splitter(cfg).run();
    }

    private Result run() {
        long t0 = System.nanoTime();
        ChallengeDataDir raw = ChallengeDataDir.openAllEvents(cfg.dataDir());
        raw.require(ChallengeDataDir.Need.RAW_EVENTS);
        if (cfg.validate()) {
            DataValidator.validateRaw(raw).orThrow();
        }
        ChallengeDataDir out = ChallengeDataDir.open(cfg.outDir());
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
                // string timestamps (the official format) are copied as they are; TIMESTAMP columns are formatted
                Path f = raw.rawEventFile(t);
                String ts = "VARCHAR".equals(columnType(f, "timestamp")) ? "timestamp"
                        : "strftime(CAST(timestamp AS TIMESTAMP), " + FMT + ")";
                String item = t.itemKind() == EventType.ItemKind.QUERY ? "CAST(query AS VARCHAR) AS query"
                        : "CAST(" + t.itemColumn() + " AS BIGINT) AS " + t.itemColumn();
                long n = copy("SELECT CAST(client_id AS BIGINT) AS client_id, " + ts + " AS timestamp, " + item
                        + " FROM " + EventStore.reader(f) + " WHERE CAST(timestamp AS TIMESTAMP) < " + trainStart,
                        out.inputDir().resolve(t.stem() + ".parquet"));
                inputEvents.put(t.stem(), n);
                inputTotal += n;
                progress.add(1);
            }
            if (inputTotal == 0) {
                throw new BadInputException("no event before the train target window starts (" + trainStart
                        + "): the data must span more than " + (2 * SplitWindows.DAYS_IN_TARGET) + " days");
            }
            String targetSql = "SELECT b.client_id, b.timestamp, b.sku, p.category, p.price, p.name FROM product_buy b "
                    + "JOIN product_properties p ON b.sku = p.sku WHERE %s ORDER BY b.client_id, b.timestamp, b.sku";
            long train = copy(String.format(targetSql, "b.timestamp >= " + trainStart + " AND b.timestamp < "
                    + valStart), out.trainTargetFile());
            long validation = copy(String.format(targetSql, "b.timestamp >= " + valStart + " AND b.timestamp <= "
                    + end), out.validationTargetFile());
            progress.add(1);

            String inputBuys = "product_buy WHERE timestamp < " + trainStart;
            long[] active = longs("SELECT DISTINCT client_id FROM " + inputBuys
                    + " AND client_id IN (SELECT client_id FROM relevant_clients) ORDER BY client_id").get(0);
            npy(out.activeClientsFile(), active);
            progress.add(1);

            Map<String, Integer> sizes = new LinkedHashMap<>();
            list(out, Task.PROPENSITY_CATEGORY, sizes, "SELECT p.category, count(*) AS n FROM product_buy b JOIN "
                    + "product_properties p ON b.sku = p.sku WHERE b.timestamp < " + trainStart
                    + " AND p.category IS NOT NULL GROUP BY 1 ORDER BY n DESC, 1 LIMIT " + TOP_N);
            list(out, Task.PROPENSITY_SKU, sizes, "SELECT sku, count(*) AS n FROM " + inputBuys
                    + " AND sku IS NOT NULL GROUP BY 1 ORDER BY n DESC, 1 LIMIT " + TOP_N);
            list(out, Task.PROPENSITY_NEW_SKU, sizes, "SELECT b.sku, count(*) AS n FROM product_buy b WHERE b.timestamp >= "
                    + trainStart + " AND b.timestamp < " + valStart + " AND b.sku IS NOT NULL AND b.sku NOT IN ("
                    + "SELECT sku FROM product_buy WHERE timestamp < " + trainStart + " AND sku IS NOT NULL UNION "
                    + "SELECT sku FROM add_to_cart WHERE timestamp < " + trainStart + " AND sku IS NOT NULL UNION "
                    + "SELECT sku FROM remove_from_cart WHERE timestamp < " + trainStart + " AND sku IS NOT NULL) "
                    + "GROUP BY 1 ORDER BY n DESC, 1 LIMIT " + TOP_N);
            list(out, Task.PROPENSITY_PRICE, sizes, "SELECT pr.price, count(b.sku) AS n FROM (SELECT DISTINCT price FROM "
                    + "product_properties WHERE price BETWEEN 0 AND 99) pr LEFT JOIN (SELECT p.price, b.sku FROM "
                    + "product_buy b JOIN product_properties p ON b.sku = p.sku WHERE b.timestamp < " + trainStart
                    + ") b ON b.price = pr.price GROUP BY 1 ORDER BY 1");
            progress.add(1);

            if (!out.root().equals(raw.root())) {
                stage(raw.relevantClientsFile(), out.relevantClientsFile());
                Path props = raw.propertiesFile();
                stage(props, out.root().resolve(props.getFileName()));
            }
            for (Path[] p : pending) {
                AtomicFiles.commit(p[0], p[1]);
            }
            pending.clear();
            progress.add(1);
            double secs = (System.nanoTime() - t0) / 1e9;
            Map<String, Object> config = cfg.toMap();
            config.put("end", w.end().format(SplitWindows.TIMESTAMP));
            config.put("train_start", w.trainStart().format(SplitWindows.TIMESTAMP));
            config.put("validation_start", w.validationStart().format(SplitWindows.TIMESTAMP));
            RunInfo.write(out.targetDir(), "split", config, cfg.seed(), raw.fingerprint(ChallengeDataDir.Need.RAW_EVENTS), secs);
            return new Result(out.root(), w, inputEvents, train, validation, active.length, sizes, secs);
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

    private void list(ChallengeDataDir out, Task task, Map<String, Integer> sizes, String sql) {
        List<long[]> cols = longs(sql);
        npy(out.targetListFile(task), cols.get(0));
        npy(out.popularityFile(task), cols.get(1));
        sizes.put(task.listStem(), cols.get(0).length);
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
