package dev.ubm.features;

import dev.ubm.core.AtomicFiles;
import dev.ubm.core.Json;
import dev.ubm.data.Duck;
import dev.ubm.data.Npy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A benchmark world in the raw challenge layout (no signal, only realistic volumes and shapes), streamed to parquet
 * by DuckDB: every value is a hash of (client, event index, seed), so no event is ever held in memory, neither as a
 * Java object nor as a DuckDB table; each event file is one streaming pass over the clients. Not {@code ubm synth}'s
 * world (that one has signal and an oracle): this one measures cost.
 *
 * <p>Usage: {@code BenchWorld OUT --scale S [--seed N]}: the challenge's shape ({@link Shape#challenge}), S = 1 is
 * the real size (18.7M clients, 1M relevant, ~172M events), S = 0.01 a 1/100 world of the same shape. The older form
 * {@code BenchWorld OUT CLIENTS RELEVANT DAYS EVENTS_PER_CLIENT SEED} ({@link Shape#uniform}, used by
 * bench/features/large.sh) makes every client alike and also writes target/propensity_{sku,category}.npy.
 * The files are written under temporary names and renamed; world.json (the shape and the row counts) comes last.
 */
public final class BenchWorld {
    /** Event types in the order of {@link Shape#relevantMix} and {@link Shape#otherMix}. */
    static final String[] TYPES = {"product_buy", "add_to_cart", "remove_from_cart", "page_visit", "search_query"};

    private BenchWorld() {
    }

    /**
     * The parameters of a world. Clients are indices 0..clients-1 with ids spread over 1..maxId; a fixed
     * permutation picks exactly {@code relevant} of them. Each client draws its event count from a lognormal
     * (median, sigma; rounded, at least 1) that depends on whether it is relevant, and each event its type from the
     * mix of the client's class. A client is active over a span (uniform length up to the whole period) from a
     * uniform start, wrapped around the period's end, so the events of the world are spread evenly over time. Items are Zipf-like (P(rank k) ~ 1/k) with ranks mapped to ids by a fixed
     * permutation, so popularity does not follow the id.
     */
    record Shape(long clients, long relevant, long maxId, LocalDate start, int days, long skus, long urls,
                 long categories, long queries, double relevantMedian, double relevantSigma, double otherMedian,
                 double otherSigma, double[] relevantMix, double[] otherMix, boolean writeTargets) {

        // The real data (the challenge's data description, section 1.2 of the reference notes; a team's statistics of 2025-07-12): events per
        // type, clients, skus, urls, categories; and the same team's counts for the 1M relevant clients with every
        // sequence capped at its last 128 events (what a lower bound of the relevant clients' product events is).
        static final long[] REAL_EVENTS = {1_775_394, 5_674_064, 1_937_170, 156_032_014, 10_218_831};
        static final long[] REAL_RELEVANT_CAPPED = {1_071_626, 1_882_143, 800_654, 26_864_045, 2_531_596};
        static final long REAL_CLIENTS = 18_688_704;
        static final long REAL_RELEVANT = 1_000_000;
        static final long REAL_MAX_ID = 23_873_886;
        static final long REAL_SKUS = 1_260_365;
        static final long REAL_URLS = 12_650_786;
        static final long REAL_CATEGORIES = 6_774;
        // Mean events per client of the two lognormals below (with rounding and the floor at 1), from 1M draws each.
        static final double RELEVANT_MEAN = 54.1;
        static final double OTHER_MEAN = 6.67;

        /**
         * The challenge's shape at a scale. Relevant clients: median 15, sigma 1.6, which reproduces the capped
         * statistics (median 15, p90 117, capped mean 33.0 against 33.15). Other clients: median 1.8, sigma 1.6, so
         * that all clients together give about 9.2 events per client (real 9.4) with quantiles p25 1, p50 2, p75 6,
         * p90 17, p95 33, p99 113 (real 1, 2, 6, 18, 34, 119). The relevant clients carry their capped counts of
         * buys, cart events and searches (page visits fill the rest of their events); the other clients carry what
         * remains of each type's real total. Period: 2022-05-25 to 2022-11-09, as the challenge's input (late May
         * 2022 to the end of the local validation window). Categories (6,774) scale too but stay at least 200, so
         * that 100 target categories exist; distinct queries (not published) are assumed to be a quarter of the
         * searches.
         */
        static Shape challenge(double scale) {
            if (!(scale > 0 && scale <= 1)) {
                throw new IllegalArgumentException("--scale must be in (0, 1], got " + scale);
            }
            long clients = Math.round(REAL_CLIENTS * scale);
            long relevant = Math.round(REAL_RELEVANT * scale);
            double relEvents = REAL_RELEVANT * RELEVANT_MEAN;
            double otherEvents = (REAL_CLIENTS - REAL_RELEVANT) * OTHER_MEAN;
            double[] rel = new double[5];
            double[] other = new double[5];
            for (int t = 0; t < 5; t++) {
                if (t == 3) {
                    continue;
                }
                rel[t] = REAL_RELEVANT_CAPPED[t] / relEvents;
                other[t] = (REAL_EVENTS[t] - REAL_RELEVANT_CAPPED[t]) / otherEvents;
            }
            rel[3] = 1 - rel[0] - rel[1] - rel[2] - rel[4];
            other[3] = 1 - other[0] - other[1] - other[2] - other[4];
            return new Shape(clients, relevant, Math.round(REAL_MAX_ID * scale), LocalDate.of(2022, 5, 25), 169,
                    Math.max(1000, Math.round(REAL_SKUS * scale)), Math.max(1000, Math.round(REAL_URLS * scale)),
                    Math.max(200, Math.round(REAL_CATEGORIES * scale)), Math.max(1000, Math.round(REAL_EVENTS[4] * scale / 4)),
                    15, 1.6, 1.8, 1.6, rel, other, false);
        }

        /**
         * Every client alike: lognormal activity with the given mean (sigma 1.5); 86% page visits, 5% searches, 5%
         * cart adds, 1.5% removes, 2.5% buys; skus clients/10, urls clients/2, 6,000 categories, every query distinct;
         * from 2022-06-01. The world of bench/features/large.sh.
         */
        static Shape uniform(long clients, long relevant, int days, double perClient) {
            double median = perClient * Math.exp(-1.5 * 1.5 / 2);
            double[] mix = {0.025, 0.05, 0.015, 0.86, 0.05};
            return new Shape(clients, relevant, clients, LocalDate.of(2022, 6, 1), days, Math.max(1000, clients / 10),
                    Math.max(5000, clients / 2), 6000, Math.max(1000, Math.round(clients * perClient)), median, 1.5,
                    median, 1.5, mix, mix, true);
        }

        Map<String, Object> describe() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("clients", clients);
            m.put("relevant_clients", relevant);
            m.put("max_client_id", maxId);
            m.put("start", start.toString());
            m.put("days", days);
            m.put("skus", skus);
            m.put("urls", urls);
            m.put("categories", categories);
            m.put("queries", queries);
            m.put("relevant_events_lognormal", List.of(relevantMedian, relevantSigma));
            m.put("other_events_lognormal", List.of(otherMedian, otherSigma));
            m.put("relevant_mix", mixOf(relevantMix));
            m.put("other_mix", mixOf(otherMix));
            return m;
        }

        private static Map<String, Double> mixOf(double[] mix) {
            Map<String, Double> m = new LinkedHashMap<>();
            for (int t = 0; t < 5; t++) {
                m.put(TYPES[t], Math.round(mix[t] * 1e6) / 1e6);
            }
            return m;
        }
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        Shape shape;
        long seed = 1;
        if (args.length > 1 && args[1].startsWith("--")) {
            double scale = 1;
            for (int i = 1; i < args.length; i += 2) {
                switch (args[i]) {
                    case "--scale" -> scale = Double.parseDouble(args[i + 1]);
                    case "--seed" -> seed = Long.parseLong(args[i + 1]);
                    default -> throw new IllegalArgumentException("unknown flag " + args[i]
                            + " (usage: BenchWorld OUT --scale S [--seed N])");
                }
            }
            shape = Shape.challenge(scale);
        } else {
            shape = Shape.uniform(Long.parseLong(args[1]), Long.parseLong(args[2]), Integer.parseInt(args[3]),
                    Double.parseDouble(args[4]));
            seed = Long.parseLong(args[5]);
        }
        Map<String, Long> rows = write(out, shape, seed);
        System.out.printf(Locale.ROOT, "bench world %s: %,d clients (%,d relevant), %,d events %s%n", out,
                shape.clients(), shape.relevant(), rows.get("events"), rows);
    }

    /** Writes the world into {@code out} and returns the rows of every file (and their event total). */
    static Map<String, Long> write(Path out, Shape s, long seed) throws IOException, SQLException {
        Files.createDirectories(out.resolve("input"));
        long t0 = System.nanoTime();
        Map<String, Long> rows = new LinkedHashMap<>();
        try (Connection c = Duck.open(out.resolve(".spill"))) {
            define(c, s, seed);
            long events = 0;
            for (int t = 0; t < 5; t++) {
                String col = switch (t) {
                    case 3 -> "url";
                    case 4 -> "query";
                    default -> "sku";
                };
                String value = switch (t) {
                    case 3 -> "1 + (zipf(u(idx, e, 12), " + s.urls() + ") * " + coprime(s.urls()) + ") % " + s.urls();
                    case 4 -> codes("zipf(u(idx, e, 13), " + s.queries() + ")", 14);
                    default -> "1 + (zipf(u(idx, e, 12), " + s.skus() + ") * " + coprime(s.skus()) + ") % " + s.skus();
                };
                Path file = out.resolve(TYPES[t] + ".parquet");
                copy(c, "SELECT client_id, strftime(TIMESTAMP '" + s.start() + " 00:00:00' + to_seconds(CAST(fmod(start_day + "
                        + "u(idx, e, 11) * span, " + s.days() + ") * 86400 AS BIGINT)), '%Y-%m-%d %H:%M:%S') AS timestamp, "
                        + value + " AS " + col + " FROM ev WHERE type = " + t, file);
                long n = count(c, "SELECT COUNT(*) FROM read_parquet(" + Duck.sqlPath(file) + ")");
                rows.put(TYPES[t], n);
                events += n;
            }
            rows.put("events", events);
            copy(c, "SELECT range + 1 AS sku, 1 + (zipf(u(range, 0, 20), " + s.categories() + ") * "
                    + coprime(s.categories()) + ") % " + s.categories() + " AS category, "
                    + "CAST(h(range, 21, 0) % 100 AS BIGINT) AS price, " + codes("range", 22)
                    + " AS name FROM range(" + s.skus() + ")", out.resolve("product_properties.parquet"));
            rows.put("product_properties", s.skus());
            long[] relevant = longs(c, "SELECT client_id FROM cl WHERE rel ORDER BY client_id");
            Npy.writeLongs(out.resolve("input/relevant_clients.npy"), relevant);
            rows.put("relevant_clients", (long) relevant.length);
            if (s.writeTargets()) {
                Files.createDirectories(out.resolve("target"));
                String buys = "read_parquet(" + Duck.sqlPath(out.resolve("product_buy.parquet")) + ")";
                Npy.writeLongs(out.resolve("target/propensity_sku.npy"), longs(c, "SELECT sku FROM " + buys
                        + " GROUP BY sku ORDER BY COUNT(*) DESC, sku LIMIT 100"));
                Npy.writeLongs(out.resolve("target/propensity_category.npy"), longs(c, "SELECT category FROM " + buys
                        + " JOIN read_parquet(" + Duck.sqlPath(out.resolve("product_properties.parquet"))
                        + ") USING (sku) GROUP BY category ORDER BY COUNT(*) DESC, category LIMIT 100"));
            }
        }
        Map<String, Object> info = new LinkedHashMap<>(s.describe());
        info.put("seed", seed);
        info.put("rows", rows);
        info.put("seconds", Math.round((System.nanoTime() - t0) / 1e8) / 10.0);
        AtomicFiles.writeString(out.resolve("world.json"), Json.write(info) + "\n");
        AtomicFiles.deleteTreeQuietly(out.resolve(".spill"));
        return rows;
    }

    /** The macros and the two views every file is read from: cl (one row per client) and ev (one per event). */
    private static void define(Connection c, Shape s, long seed) {
        // h(a, b, k): 64 hashed bits; k separates the uses (event count, type, time, item, ...). DuckDB combines the
        // hashes of several arguments cheaply (its low bits follow the low bits of the parts), so the combined value
        // is hashed once more: without that, the 16 codes of a name were a function of 8 bits (256 distinct names).
        Duck.exec(c, "CREATE MACRO h(a, b, k) AS hash(hash(a, b, k, " + seed + "))");
        // u(a, b, k): a uniform in (0, 1).
        Duck.exec(c, "CREATE MACRO u(a, b, k) AS (CAST(h(a, b, k) % 9007199254740992 AS DOUBLE) + 0.5) / 9007199254740992.0");
        // zipf(x, n): rank in 1..n-1 with P(k) ~ 1/k for a uniform x.
        Duck.exec(c, "CREATE MACRO zipf(x, n) AS CAST(floor(exp(x * ln(n))) AS BIGINT)");
        long p = coprime(s.clients());
        String n = "GREATEST(1, round(exp(CASE WHEN rel THEN " + Math.log(s.relevantMedian()) + " ELSE "
                + Math.log(s.otherMedian()) + " END + CASE WHEN rel THEN " + s.relevantSigma() + " ELSE " + s.otherSigma()
                + " END * sqrt(-2 * ln(u(idx, 0, 1))) * cos(2 * pi() * u(idx, 0, 2)))))";
        Duck.exec(c, "CREATE VIEW cl0 AS SELECT range AS idx, 1 + range * " + s.maxId() + " // " + s.clients()
                + " AS client_id, (range * " + p + ") % " + s.clients() + " < " + s.relevant() + " AS rel, u(range, 0, 3) * "
                + s.days() + " AS start_day, u(range, 0, 4) * " + s.days() + " AS span FROM range(" + s.clients() + ")");
        Duck.exec(c, "CREATE VIEW cl AS SELECT *, CAST(" + n + " AS BIGINT) AS n FROM cl0");
        Duck.exec(c, "CREATE VIEW ev AS SELECT client_id, idx, e, start_day, span, CASE WHEN rel THEN " + typeCase(s.relevantMix())
                + " ELSE " + typeCase(s.otherMix()) + " END AS type FROM (SELECT *, u(idx, e, 10) AS ut FROM "
                + "(SELECT client_id, idx, rel, start_day, span, unnest(range(n)) AS e FROM cl))");
    }

    private static String typeCase(double[] mix) {
        StringBuilder b = new StringBuilder("CASE");
        double acc = 0;
        for (int t = 0; t < 4; t++) {
            acc += mix[t];
            b.append(" WHEN ut < ").append(acc).append(" THEN ").append(t);
        }
        return b.append(" ELSE 4 END").toString();
    }

    /** The challenge's code string "[ c1  c2 ...]": 16 codes 0..255 hashed from {@code key}, each padded to 3. */
    private static String codes(String key, int salt) {
        List<String> parts = new ArrayList<>();
        for (int j = 0; j < 16; j++) {
            parts.add("lpad(CAST(h(" + key + ", " + salt + ", " + j + ") % 256 AS VARCHAR), 3, ' ')");
        }
        return "'[' || " + String.join(" || ' ' || ", parts) + " || ']'";
    }

    /** A multiplier that permutes 0..n-1 (coprime with n). */
    static long coprime(long n) {
        long p = 1_000_003;
        while (gcd(p, n) != 1) {
            p += 2;
        }
        return p;
    }

    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    private static void copy(Connection c, String select, Path file) {
        AtomicFiles.writePath(file, tmp -> Duck.exec(c, "COPY (" + select + ") TO " + Duck.sqlPath(tmp) + " (FORMAT parquet)"));
    }

    private static long count(Connection c, String sql) throws SQLException {
        return longs(c, sql)[0];
    }

    private static long[] longs(Connection c, String sql) throws SQLException {
        List<Long> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getLong(1));
            }
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }
}
