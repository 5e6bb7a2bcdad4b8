package dev.ubm.data;

import dev.ubm.core.BadInputException;
import dev.ubm.core.ChallengeDataDir;
import dev.ubm.core.EventType;
import dev.ubm.core.Progress;
import dev.ubm.core.Task;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks a data dir against the challenge layout and returns every problem, each naming the file, the column, the
 * row (0-based data row, as pandas' {@code iloc}) or a count with the first example, and the value. The value
 * checks run as one DuckDB aggregate per file ({@code TRY_CAST}, {@code TRY_STRPTIME}, {@code regexp_full_match}),
 * so a 100M-row file costs one scan. {@link #checkForStage} is the part that {@link EventStore#open} runs before
 * every stage (the value checks of the files the stage reads, without summaries); {@link #checkSchema} only looks
 * at file metadata.
 */
public final class DataValidator {
    /** The timestamp format of the challenge files, as a DuckDB strptime pattern. */
    public static final String TS_FORMAT = "%Y-%m-%d %H:%M:%S";
    private static final Pattern INTEGER_TYPE = Pattern.compile(
            "(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT)");
    private static final Pattern FLOAT_TYPE = Pattern.compile("(FLOAT|DOUBLE|REAL|DECIMAL(\\(.*\\))?)");
    private static final Pattern TIMESTAMP_TYPE = Pattern.compile("TIMESTAMP(_NS|_MS|_S|_US)?");

    /**
     * One problem found in a data dir. {@code row} is -1 and {@code count} 0 for file- or column-level problems;
     * {@code parsesAs} names the type a value could not be parsed as (null for other problems).
     */
    public record Problem(String file, String column, String issue, long count, long row, String value,
            String parsesAs) {
        public Problem(String file, String column, String issue, long count, long row, String value) {
            this(file, column, issue, count, row, value, null);
        }

        /** A file- or column-level problem (no row). */
        static Problem of(String file, String column, String issue) {
            return new Problem(file, column, issue, 0, -1, null);
        }

        /**
         * The message a stage prints: the file under {@code root}, then column, first row and value, e.g.
         * {@code /d/page_visit.csv: column timestamp, row 2: cannot parse '2022-13-01' as TIMESTAMP (3 rows)}.
         */
        public String stageMessage(Path root) {
            if (row < 0 || column == null) {
                return root.resolve(file) + (column == null ? "" : ": column " + column) + ": " + issue
                        + (value == null ? "" : ": " + value);
            }
            String what = parsesAs != null ? "cannot parse " + value + " as " + parsesAs : issue + ": " + value;
            return root.resolve(file) + ": column " + column + ", row " + row + ": " + what
                    + (count > 1 ? String.format(Locale.ROOT, " (%,d rows; the first is shown)", count) : "");
        }

        /** The message printed by {@code ubm validate-data}: file, column, issue, count, first row and value. */
        public String message() {
            StringBuilder sb = new StringBuilder(file);
            if (column != null) {
                sb.append(": column '").append(column).append('\'');
            }
            sb.append(": ").append(issue);
            if (count == 1 && row >= 0) {
                sb.append(" at row ").append(row).append(": ").append(value);
            } else if (count > 0) {
                sb.append(": ").append(String.format(Locale.ROOT, "%,d", count)).append(" rows");
                if (row >= 0) {
                    sb.append(", first at row ").append(row).append(": ").append(value);
                } else if (value != null) {
                    sb.append(", first: ").append(value);
                }
            } else if (value != null) {
                sb.append(": ").append(value);
            }
            return sb.toString();
        }

        @Override
        public String toString() {
            return message();
        }
    }

    /** What a valid file holds: rows, time span, distinct clients (approximate), a note (code lengths...). */
    public record FileSummary(String file, long rows, String first, String last, long clients, String note) {
        public String line() {
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-38s %,14d rows", file, rows));
            if (clients >= 0) {
                sb.append(String.format(Locale.ROOT, "  ~%,d clients", clients));
            }
            if (first != null) {
                sb.append("  ").append(first).append(" .. ").append(last);
            }
            if (note != null && !note.isEmpty()) {
                sb.append("  ").append(note);
            }
            return sb.toString();
        }
    }

    /** The outcome of a validation: every problem, and per-file summaries. */
    public record Report(Path root, List<Problem> problems, List<FileSummary> files, double seconds) {
        public Report {
            problems = List.copyOf(problems);
            files = List.copyOf(files);
        }

        public boolean ok() {
            return problems.isEmpty();
        }

        public List<String> messages() {
            return problems.stream().map(Problem::message).toList();
        }

        /** Counts per file and time spans, one line each. */
        public String summary() {
            StringBuilder sb = new StringBuilder();
            for (FileSummary f : files) {
                sb.append("  ").append(f.line()).append('\n');
            }
            return sb.toString();
        }

        /** Throws {@link BadInputException} listing every problem unless the report is clean. */
        public Report orThrow() {
            if (!ok()) {
                throw BadInputException.of("data dir " + root + " has bad input (see 'ubm validate-data --data-dir "
                        + root + "')", messages());
            }
            return this;
        }
    }

    private enum Kind { ID, PRICE, TIMESTAMP, CODES }

    /**
     * How far a run goes: SCHEMA = files, columns, types and the relevant clients; STAGE = SCHEMA plus every row
     * value check of the files a stage reads (one aggregate scan per file, duplicate skus, no events); FULL = what
     * {@code ubm validate-data} does (also the root and input/ events, skus missing from product_properties,
     * targets, and the per-file summaries).
     */
    private enum Mode { SCHEMA, STAGE, FULL }

    private enum TypeClass { INTEGER, FLOAT, STRING, TIMESTAMP, OTHER }

    private record Col(String name, Kind kind) {
    }

    private record Check(String column, String issue, String cond, String value, String parsesAs) {
        Check(String column, String issue, String cond, String value) {
            this(column, issue, cond, value, null);
        }
    }

    private final ChallengeDataDir dir;
    private final Connection conn;
    private final List<Problem> problems = new ArrayList<>();
    private final List<FileSummary> files = new ArrayList<>();
    /** Rows of the event files scanned so far in the current events dir (for "no events"). */
    private long eventRows;
    private boolean skuSetLoaded;
    private boolean deep;
    private Progress progress;

    private DataValidator(ChallengeDataDir dir, Connection conn) {
        this.dir = dir;
        this.conn = conn;
    }

    // ------------------------------------------------------------------ entry points

    /**
     * Validates everything a data dir holds: root events (when present), input/ events (when split), product
     * properties, relevant clients, and the target/ files that exist.
     */
    public static Report validate(ChallengeDataDir dir) {
        return run(dir, true, Mode.FULL);
    }

    /** Validates what {@code ubm split} reads: the root events, product_properties and relevant clients. */
    public static Report validateRaw(ChallengeDataDir dir) {
        return run(dir, false, Mode.FULL);
    }

    /**
     * The cheap checks (no scan of the rows): the files an {@link EventStore} over {@code dir} reads exist, have
     * their columns with usable types, and relevant_clients.npy is a 1-D int64 array without duplicates.
     */
    public static List<Problem> checkSchema(ChallengeDataDir dir) {
        return run(dir, false, Mode.SCHEMA).problems();
    }

    /**
     * The cheap checks of the files a stage reads, run by {@link EventStore#open} before any stage works: the
     * schema checks plus every row value check of the events dir's files and product_properties (NULL/NaN or
     * unparsable ids, unparsable timestamps, malformed code strings, price buckets, duplicate skus), that the events
     * dir holds at least one event and that relevant_clients.npy is not empty. One aggregate scan per file, on
     * {@code conn} (EventStore's, to avoid a second database); no summaries, no sku-against-properties join.
     */
    static List<Problem> checkForStage(ChallengeDataDir dir, Connection conn) {
        if (!Files.isDirectory(dir.root())) {
            return List.of(Problem.of(dir.root().toString(), null, "data dir does not exist or is not a directory"));
        }
        DataValidator v = new DataValidator(dir, conn);
        v.runChecks(false, Mode.STAGE);
        return v.problems;
    }

    private static Report run(ChallengeDataDir dir, boolean everything, Mode mode) {
        boolean deep = mode == Mode.FULL;
        long t0 = System.nanoTime();
        if (!Files.isDirectory(dir.root())) {
            return new Report(dir.root(), List.of(Problem.of(dir.root().toString(), null,
                    "data dir does not exist or is not a directory")), List.of(), 0);
        }
        try (Connection c = Duck.open()) {
            try (Statement st = c.createStatement()) {
                st.execute("SET preserve_insertion_order=true");
            }
            DataValidator v = new DataValidator(dir, c);
            try (Progress p = deep ? new Progress("validate-data", -1, "files") : null) {
                v.progress = p;
                v.runChecks(everything, mode);
            }
            return new Report(dir.root(), v.problems, v.files, (System.nanoTime() - t0) / 1e9);
        } catch (SQLException e) {
            throw new dev.ubm.core.UnexpectedStateException("DuckDB failed while validating " + dir.root() + ": "
                    + e.getMessage(), e);
        }
    }

    private void runChecks(boolean everything, Mode mode) {
        this.deep = mode == Mode.FULL;
        boolean values = mode != Mode.SCHEMA;
        Path root = dir.root();
        // Which event folders to check: for the cheap schema check only the one the store reads.
        List<Path> eventDirs = new ArrayList<>();
        if (!deep) {
            eventDirs.add(dir.eventsDir());
        } else {
            boolean rootHas = anyEventFile(root);
            boolean inputHas = anyEventFile(dir.inputDir());
            if (rootHas || !everything || !inputHas) {
                eventDirs.add(root);
            }
            if (everything && inputHas) {
                eventDirs.add(dir.inputDir());
            }
        }
        // product_properties first: the sku checks of product events need it.
        Path props = ChallengeDataDir.findFile(root, EventType.PROPERTIES_STEM)
                .or(() -> ChallengeDataDir.findFile(dir.inputDir(), EventType.PROPERTIES_STEM)).orElse(null);
        Map<String, TypeClass> propCols = null;
        if (props == null) {
            problems.add(Problem.of(rel(root.resolve(EventType.PROPERTIES_STEM + ".parquet")) + " (or .csv)", null,
                    "missing file"));
        } else {
            propCols = checkTable(props, List.of(new Col("sku", Kind.ID), new Col("category", Kind.ID),
                    new Col("price", Kind.PRICE), new Col("name", Kind.CODES)), values, false);
            if (values && propCols != null && usable(propCols.get("sku"))) {
                duplicateSkus(props);
            }
            if (deep && propCols != null && usable(propCols.get("sku"))) {
                loadSkuSet(props);
            }
        }
        for (Path d : eventDirs) {
            eventRows = 0;
            boolean allScanned = true;
            for (EventType t : EventType.values()) {
                Path f = ChallengeDataDir.findFile(d, t.stem()).orElse(null);
                if (f == null) {
                    problems.add(Problem.of(rel(d.resolve(t.stem() + ".parquet")) + " (or .csv)", null,
                            "missing file"));
                    allScanned = false;
                    continue;
                }
                Map<String, TypeClass> cols = checkTable(f, List.of(new Col("client_id", Kind.ID),
                        new Col("timestamp", Kind.TIMESTAMP),
                        new Col(t.itemColumn(), t.itemKind() == EventType.ItemKind.QUERY ? Kind.CODES : Kind.ID)),
                        values, true);
                allScanned &= cols != null;
                if (deep && t.isProductEvent() && skuSetLoaded && cols != null && usable(cols.get("sku"))) {
                    missingSkus(f);
                }
            }
            if (values && allScanned && eventRows == 0) {
                problems.add(Problem.of(d.equals(root) ? root.toString() : rel(d), null,
                        "no events (every event file is empty)"));
            }
        }
        long[] relevant = checkIds(dir.relevantClientsFile(), true);
        if (relevant != null && relevant.length == 0) {
            problems.add(Problem.of(rel(dir.relevantClientsFile()), null, RelevantClients.EMPTY));
        }
        if (everything && Files.isDirectory(dir.targetDir())) {
            checkTargets(deep);
        }
    }

    private static boolean anyEventFile(Path d) {
        for (EventType t : EventType.values()) {
            if (ChallengeDataDir.findFile(d, t.stem()).isPresent()) {
                return true;
            }
        }
        return false;
    }

    private static boolean usable(TypeClass tc) {
        return tc != null && tc != TypeClass.OTHER;
    }

    private String rel(Path p) {
        Path a = p.toAbsolutePath().normalize();
        return a.startsWith(dir.root()) ? dir.root().relativize(a).toString() : a.toString();
    }

    // ------------------------------------------------------------------ tables

    private static boolean isCsv(Path f) {
        return ChallengeDataDir.formatOf(f) == ChallengeDataDir.Format.CSV;
    }

    /** Rows of a file with a 0-based {@code __row} column in file order. */
    private static String source(Path f) {
        return isCsv(f)
                ? "(SELECT *, row_number() OVER () - 1 AS __row FROM " + EventStore.reader(f) + ")"
                : "(SELECT *, file_row_number AS __row FROM read_parquet(" + Duck.sqlPath(f) + ", file_row_number=true))";
    }

    private static String q(String ident) {
        return "\"" + ident.replace("\"", "\"\"") + "\"";
    }

    private static TypeClass classify(String type) {
        String t = type.toUpperCase(Locale.ROOT).trim();
        if (INTEGER_TYPE.matcher(t).matches()) {
            return TypeClass.INTEGER;
        }
        if (FLOAT_TYPE.matcher(t).matches()) {
            return TypeClass.FLOAT;
        }
        if (t.equals("VARCHAR")) {
            return TypeClass.STRING;
        }
        if (TIMESTAMP_TYPE.matcher(t).matches()) {
            return TypeClass.TIMESTAMP;
        }
        return TypeClass.OTHER;
    }

    /**
     * Checks one table file: columns and types always, values when {@code values}. Returns the usable columns' type
     * classes (OTHER for a wrong type), or null when the file cannot be read at all.
     */
    private Map<String, TypeClass> checkTable(Path f, List<Col> spec, boolean values, boolean events) {
        String file = rel(f);
        Map<String, String> types = new LinkedHashMap<>();
        try (Statement st = conn.createStatement();
                ResultSet rs = st.executeQuery("DESCRIBE SELECT * FROM " + EventStore.reader(f))) {
            while (rs.next()) {
                types.put(rs.getString(1), rs.getString(2));
            }
        } catch (SQLException e) {
            problems.add(Problem.of(file, null, "cannot read the file: " + firstLine(e.getMessage())));
            return null;
        }
        boolean csv = isCsv(f);
        Map<String, TypeClass> out = new LinkedHashMap<>();
        List<Check> checks = new ArrayList<>();
        String tsExpr = null;
        String clientExpr = null;
        String codesCol = null;
        for (Col col : spec) {
            String type = types.get(col.name());
            if (type == null) {
                problems.add(Problem.of(file, col.name(), "missing column (found: " + String.join(", ", types.keySet())
                        + ")"));
                continue;
            }
            TypeClass tc = classify(type);
            String c = q(col.name());
            switch (col.kind()) {
                case ID, PRICE -> {
                    String asLong;
                    switch (tc) {
                        case INTEGER -> {
                            checks.add(new Check(col.name(), "NULL value", c + " IS NULL", "'NULL'"));
                            asLong = c;
                        }
                        case FLOAT -> {
                            problems.add(Problem.of(file, col.name(), "wrong type " + type
                                    + " (expected an integer type such as int64)"));
                            String d = "CAST(" + c + " AS DOUBLE)";
                            checks.add(new Check(col.name(), "NULL/NaN value", c + " IS NULL OR isnan(" + d + ")",
                                    "CASE WHEN isnan(" + d + ") THEN 'NaN' ELSE CAST(" + c + " AS VARCHAR) END"));
                            checks.add(new Check(col.name(), "not an integer", "NOT isnan(" + d + ") AND (isinf(" + d
                                    + ") OR " + d + " <> floor(" + d + "))", "CAST(" + c + " AS VARCHAR)"));
                            asLong = "TRY_CAST(" + c + " AS BIGINT)";
                        }
                        case STRING -> {
                            String nullish = c + " IS NULL OR lower(trim(" + c + ")) IN ('', 'nan', 'null', 'none', "
                                    + "'na', '<na>')";
                            if (!csv) {
                                problems.add(Problem.of(file, col.name(), "wrong type " + type
                                        + " (expected an integer type such as int64)"));
                            }
                            checks.add(new Check(col.name(), "NULL/NaN value", nullish, "coalesce(" + c + ", 'NULL')"));
                            checks.add(new Check(col.name(), "not an integer", "NOT (" + nullish + ") AND (NOT "
                                    + "regexp_full_match(trim(" + c + "), '[+-]?[0-9]+') OR TRY_CAST(trim(" + c
                                    + ") AS BIGINT) IS NULL)", "'''' || " + c + " || ''''", "BIGINT"));
                            asLong = "TRY_CAST(trim(" + c + ") AS BIGINT)";
                        }
                        default -> {
                            problems.add(Problem.of(file, col.name(), "wrong type " + type
                                    + " (expected an integer type such as int64)"));
                            asLong = null;
                        }
                    }
                    if (col.kind() == Kind.PRICE && asLong != null) {
                        checks.add(new Check(col.name(), "price bucket outside 0..99", asLong + " NOT BETWEEN 0 AND 99",
                                "CAST(" + asLong + " AS VARCHAR)"));
                    }
                    if (col.name().equals("client_id") && asLong != null) {
                        clientExpr = asLong;
                    }
                }
                case TIMESTAMP -> {
                    switch (tc) {
                        case TIMESTAMP -> {
                            checks.add(new Check(col.name(), "NULL timestamp", c + " IS NULL", "'NULL'"));
                            tsExpr = c;
                        }
                        case STRING -> {
                            String parsed = "TRY_STRPTIME(" + c + ", '" + TS_FORMAT + "')";
                            checks.add(new Check(col.name(), "unparsable timestamp (expected 'YYYY-MM-DD HH:MM:SS')",
                                    c + " IS NULL OR NOT (" + c + " LIKE '____-__-__ __:__:__') OR " + parsed
                                            + " IS NULL", "coalesce('''' || " + c + " || '''', 'NULL')",
                                    "TIMESTAMP 'YYYY-MM-DD HH:MM:SS'"));
                            tsExpr = parsed;
                        }
                        default -> problems.add(Problem.of(file, col.name(), "wrong type " + type
                                + " (expected a string 'YYYY-MM-DD HH:MM:SS' or a TIMESTAMP without time zone)"));
                    }
                }
                case CODES -> {
                    if (tc == TypeClass.STRING) {
                        checks.add(new Check(col.name(),
                                "malformed code string (expected \"[c1 c2 ...]\" of integers 0..255, at least one)",
                                c + " IS NULL OR NOT regexp_full_match(" + c + ", '" + Codes.SQL_PATTERN + "')",
                                "coalesce('''' || " + c + " || '''', 'NULL')"));
                        codesCol = c;
                    } else {
                        problems.add(Problem.of(file, col.name(), "wrong type " + type
                                + " (expected a string \"[c1 c2 ...]\" of integers 0..255)"));
                        tc = TypeClass.OTHER;
                    }
                }
                default -> throw new IllegalStateException(col.kind().toString());
            }
            out.put(col.name(), tc == TypeClass.STRING && col.kind() != Kind.CODES && col.kind() != Kind.TIMESTAMP
                    && !csv ? TypeClass.OTHER : tc);
        }
        if (deep) {
            scan(f, file, checks, events ? tsExpr : null, events ? clientExpr : null, codesCol);
        } else if (values) {
            scan(f, file, checks, null, null, null);
        }
        return out;
    }

    /** One aggregate pass over a file: every value check, plus the summary. */
    private void scan(Path f, String file, List<Check> checks, String tsExpr, String clientExpr, String codesCol) {
        StringBuilder sql = new StringBuilder("SELECT count(*)");
        for (Check c : checks) {
            sql.append(", count(*) FILTER (WHERE ").append(c.cond()).append(")")
                    .append(", min(__row) FILTER (WHERE ").append(c.cond()).append(")")
                    .append(", arg_min(coalesce(CAST(").append(c.value()).append(" AS VARCHAR), 'NULL'), __row) FILTER (WHERE ")
                    .append(c.cond()).append(")");
        }
        sql.append(tsExpr == null ? ", NULL, NULL" : ", strftime(min(" + tsExpr + "), '" + TS_FORMAT + "'), strftime(max("
                + tsExpr + "), '" + TS_FORMAT + "')");
        sql.append(clientExpr == null ? ", -1" : ", approx_count_distinct(" + clientExpr + ")");
        sql.append(" FROM ").append(source(f));
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(sql.toString())) {
            rs.next();
            long rows = rs.getLong(1);
            eventRows += rows;
            int k = 2;
            for (Check c : checks) {
                long n = rs.getLong(k);
                long row = rs.getLong(k + 1);
                String value = rs.getString(k + 2);
                if (n > 0) {
                    problems.add(new Problem(file, c.column(), c.issue(), n, row, value, c.parsesAs()));
                }
                k += 3;
            }
            String first = rs.getString(k);
            String last = rs.getString(k + 1);
            long clients = rs.getLong(k + 2);
            String note = codesCol == null || !deep ? null : codeLengths(f, codesCol);
            if (deep) {
                files.add(new FileSummary(file, rows, first, last, clients, note));
            }
            if (progress != null) {
                progress.add(1);
                progress.status(file);
            }
        } catch (SQLException e) {
            problems.add(Problem.of(file, null, "cannot read the file: " + firstLine(e.getMessage())));
        }
    }

    /** The code lengths found in a sample of well-formed code strings (parsing every row would cost a minute). */
    private String codeLengths(Path f, String col) {
        String sql = "SELECT min(n), max(n) FROM (SELECT len(string_split_regex(trim(" + col + ", '[] '), '[\\s,]+')) AS n"
                + " FROM (SELECT " + col + " FROM " + EventStore.reader(f) + " LIMIT 100000) WHERE regexp_full_match(" + col
                + ", '" + Codes.SQL_PATTERN + "'))";
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            long lo = rs.getLong(1);
            if (rs.wasNull()) {
                return null;
            }
            long hi = rs.getLong(2);
            return "codes per " + col.replace("\"", "") + ": " + (lo == hi ? Long.toString(lo) : lo + ".." + hi)
                    + " (first 100k rows)";
        } catch (SQLException e) {
            return null;
        }
    }

    private void duplicateSkus(Path props) {
        String sql = "SELECT count(*), sum(n), arg_min(sku, first), min(first), CAST(arg_min(rows, first) AS VARCHAR) "
                + "FROM (SELECT TRY_CAST(sku AS BIGINT) AS sku, count(*) AS n, min(__row) AS first, "
                + "list(__row ORDER BY __row)[1:5] AS rows FROM " + source(props) + " WHERE TRY_CAST(sku AS BIGINT) IS NOT "
                + "NULL GROUP BY 1 HAVING count(*) > 1)";
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            long dups = rs.getLong(1);
            if (dups > 0) {
                problems.add(new Problem(rel(props), "sku", String.format(Locale.ROOT,
                        "duplicate sku (%,d sku values on %,d rows)", dups, rs.getLong(2)), 0, -1,
                        "sku " + rs.getLong(3) + " on rows " + rs.getString(5)));
            }
        } catch (SQLException e) {
            problems.add(Problem.of(rel(props), "sku", "cannot check for duplicates: " + firstLine(e.getMessage())));
        }
    }

    private void loadSkuSet(Path props) {
        try (Statement st = conn.createStatement()) {
            st.execute("CREATE OR REPLACE TEMP TABLE __skus AS SELECT DISTINCT TRY_CAST(sku AS BIGINT) AS sku FROM "
                    + EventStore.reader(props) + " WHERE TRY_CAST(sku AS BIGINT) IS NOT NULL");
            skuSetLoaded = true;
        } catch (SQLException e) {
            problems.add(Problem.of(rel(props), "sku", "cannot read: " + firstLine(e.getMessage())));
        }
    }

    private void missingSkus(Path f) {
        String sql = "SELECT count(*), count(DISTINCT e.sku), min(e.__row), arg_min(e.sku, e.__row) FROM (SELECT "
                + "TRY_CAST(sku AS BIGINT) AS sku, __row FROM " + source(f) + ") e ANTI JOIN __skus p ON e.sku = p.sku "
                + "WHERE e.sku IS NOT NULL";
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            long n = rs.getLong(1);
            if (n > 0) {
                problems.add(new Problem(rel(f), "sku", String.format(Locale.ROOT,
                        "sku missing from product_properties (%,d distinct)", rs.getLong(2)), n, rs.getLong(3),
                        Long.toString(rs.getLong(4))));
            }
        } catch (SQLException e) {
            problems.add(Problem.of(rel(f), "sku", "cannot check skus against product_properties: "
                    + firstLine(e.getMessage())));
        }
    }

    // ------------------------------------------------------------------ .npy id lists and targets

    /** A 1-D int64 id array; with {@code unique}, no id twice. Returns the ids, or null when unusable. */
    private long[] checkIds(Path f, boolean unique) {
        String file = rel(f);
        if (!Files.isRegularFile(f)) {
            problems.add(Problem.of(file, null, "missing file"));
            return null;
        }
        try {
            Npy.Header h = Npy.header(f);
            if (h.shape().length != 1 || h.dtype() != Npy.Dtype.INT64) {
                problems.add(Problem.of(file, null, "expected a 1-D int64 array, found " + h.dtype().numpyName()
                        + " of shape " + h.shapeString()));
                return null;
            }
            long[] ids = Npy.readLongs(f);
            if (unique) {
                duplicates(file, ids);
            }
            if (deep) {
                files.add(new FileSummary(file, ids.length, null, null, -1, "int64 ids"));
            }
            return ids;
        } catch (BadInputException e) {
            problems.add(Problem.of(file, null, e.getMessage().replace(f.toString() + ": ", "")));
            return null;
        }
    }

    private void duplicates(String file, long[] ids) {
        long[] sorted = ids.clone();
        Arrays.sort(sorted);
        long repeated = 0;
        for (int i = 1; i < sorted.length; i++) {
            if (sorted[i] == sorted[i - 1] && (i == 1 || sorted[i - 2] != sorted[i])) {
                repeated++;
            }
        }
        if (repeated == 0) {
            return;
        }
        // the first position whose id was seen before
        java.util.HashSet<Long> seen = new java.util.HashSet<>();
        for (int i = 0; i < ids.length; i++) {
            if (!seen.add(ids[i])) {
                int first = -1;
                for (int j = 0; j < i; j++) {
                    if (ids[j] == ids[i]) {
                        first = j;
                        break;
                    }
                }
                problems.add(new Problem(file, null, String.format(Locale.ROOT, "duplicate ids (%,d ids appear more "
                        + "than once)", repeated), 0, -1, "id " + ids[i] + " at positions " + first + " and " + i));
                return;
            }
        }
    }

    private void checkTargets(boolean deep) {
        Path active = dir.activeClientsFile();
        if (Files.exists(active)) {
            checkIds(active, true);
        }
        for (Task t : Task.values()) {
            if (t.isBinary()) {
                continue;
            }
            Path list = dir.targetListFile(t);
            Path pop = dir.popularityFile(t);
            long[] l = Files.exists(list) ? checkIds(list, true) : null;
            long[] p = Files.exists(pop) ? checkIds(pop, false) : null;
            if (l != null && p != null && l.length != p.length) {
                problems.add(Problem.of(rel(pop), null, "has " + p.length + " values but " + rel(list) + " has "
                        + l.length));
            }
        }
        List<Col> spec = List.of(new Col("client_id", Kind.ID), new Col("timestamp", Kind.TIMESTAMP),
                new Col("sku", Kind.ID), new Col("category", Kind.ID), new Col("price", Kind.PRICE),
                new Col("name", Kind.CODES));
        for (Path f : List.of(dir.trainTargetFile(), dir.validationTargetFile())) {
            if (Files.isRegularFile(f)) {
                checkTable(f, spec, deep, true);
            }
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int i = s.indexOf('\n');
        return i < 0 ? s : s.substring(0, i);
    }
}
