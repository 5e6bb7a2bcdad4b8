package dev.ubm.data.synth;

import dev.ubm.core.AtomicFiles;
import dev.ubm.core.EventType;
import dev.ubm.core.Json;
import dev.ubm.core.Progress;
import dev.ubm.core.UnexpectedStateException;
import dev.ubm.data.Duck;
import dev.ubm.data.Npy;
import dev.ubm.data.SplitWindows;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * The embedded synthetic world: {@link #generate} writes the challenge's raw layout (five event files,
 * product_properties, input/relevant_clients.npy) plus an oracle (oracle/futures.parquet, oracle/oracle.json).
 * Clients are simulated one at a time up to the validation window; from the saved latent state the window is then
 * simulated K+1 times: draw 0 is written into the event files (the realised future), draws 1..K into the futures.
 * Events stream into DuckDB through appenders, never as Java objects; each file is written to a temp name and
 * renamed. What the world plants, and which block should find it, is in docs/synth.md.
 */
public final class SyntheticWorld {
    /** Share of relevant clients drawn among clients with no input history. */
    static final double LATE_RELEVANT_SHARE = 0.02;
    static final String FUTURES_FILE = "futures.parquet";
    /** System property that sets the number of simulation threads (default: one per core, at most 8). */
    public static final String THREADS_PROPERTY = "ubm.synth.threads";
    /** Clients per unit of parallel work. */
    static final int BLOCK = 256;
    private static final int PAGE_VISIT = EventType.PAGE_VISIT.code();
    private static final int SEARCH_QUERY = EventType.SEARCH_QUERY.code();
    static final String ORACLE_FILE = "oracle.json";
    /**
     * The generator's version in oracle.json: the oracle recomputes probabilities by simulating again from the
     * config, so a world written by a generator whose paths differ must not be read with this code.
     */
    static final String GENERATOR = "ubm-synth-3";
    private static final String[] STAGING = {"s_product_buy", "s_add_to_cart", "s_remove_from_cart", "s_page_visit",
        "s_search_query"};

    private SyntheticWorld() {
    }

    /** What a generation produced: rows per file, the realised windows and the oracle's summary. */
    public record Result(SynthConfig config, Map<String, Long> events, long clientsWithEvents, long skusWritten,
            LocalDateTime maxBuy, SplitWindows windows, Map<String, Object> oracle, double seconds) {
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("events", events);
            m.put("clients_with_events", clientsWithEvents);
            m.put("skus_in_properties", skusWritten);
            m.put("max_product_buy", maxBuy.format(SplitWindows.TIMESTAMP));
            m.put("train_target_start", windows.trainStart().format(SplitWindows.TIMESTAMP));
            m.put("validation_start", windows.validationStart().format(SplitWindows.TIMESTAMP));
            m.put("oracle", oracle);
            m.put("seconds", seconds);
            return m;
        }
    }

    /** Generates the world of {@code cfg} into {@code out} (created if needed; files there are replaced). */
    public static Result generate(SynthConfig cfg, Path out) {
        long t0 = System.nanoTime();
        try {
            Files.createDirectories(out.resolve("input"));
            Files.createDirectories(out.resolve("oracle"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + out + ": " + e.getMessage(), e);
        }
        Catalog cat = new Catalog(cfg);
        boolean[] relevant = selectRelevant(cat, cfg);
        long[] ids = clientIds(cfg);
        try (Connection conn = Duck.open()) {
            Duck.exec(conn, "SET preserve_insertion_order=true");
            for (EventType t : EventType.values()) {
                String item = switch (t.itemKind()) {
                    case SKU -> "sku BIGINT";
                    case URL -> "url BIGINT";
                    case QUERY -> "query VARCHAR";
                };
                Duck.exec(conn, "CREATE TABLE " + STAGING[t.code()] + " (client_id BIGINT, ts TIMESTAMP_S, " + item + ")");
            }
            Duck.exec(conn, "CREATE TABLE s_futures (draw INTEGER, client_id BIGINT, ts TIMESTAMP_S, sku BIGINT)");
            Duck.exec(conn, "CREATE TABLE s_properties (sku BIGINT, category BIGINT, price BIGINT, name VARCHAR)");
            Run run = new Run(cfg, cat, relevant, ids);
            try (Appenders app = new Appenders(conn)) {
                run.simulate(app);
            }
            Map<String, Object> oracleSummary = run.oracleSummary();
            try (Appenders app = new Appenders(conn)) {
                run.writeProperties(app.properties);
            }
            // realised windows: the anchor guarantees the max buy lies on the last simulated day
            LocalDateTime maxBuy = LocalDateTime.ofEpochSecond(run.maxBuyEpoch, 0, ZoneOffset.UTC);
            SplitWindows w = SplitWindows.fromMaxBuy(maxBuy);
            LocalDateTime valStart = run.dayStart(cfg.validationStartDay());
            if (!w.validationStart().equals(valStart)) {
                throw new UnexpectedStateException("synth: validation window starts " + w.validationStart()
                        + " but the oracle simulated from " + valStart);
            }
            Map<String, Long> counts = new LinkedHashMap<>();
            try (Progress progress = new Progress("synth: writing parquet", EventType.values().length + 2, "files")) {
                for (EventType t : EventType.values()) {
                    counts.put(t.stem(), run.counts[t.code()]);
                    copy(conn, "SELECT client_id, strftime(CAST(ts AS TIMESTAMP), '%Y-%m-%d %H:%M:%S') AS timestamp, "
                            + t.itemColumn() + " FROM " + STAGING[t.code()], out.resolve(t.stem() + ".parquet"));
                    Duck.exec(conn, "DROP TABLE " + STAGING[t.code()]);
                    progress.add(1);
                }
                copy(conn, "SELECT * FROM s_properties", out.resolve(EventType.PROPERTIES_STEM + ".parquet"));
                progress.add(1);
                copy(conn, "SELECT draw, client_id, strftime(CAST(ts AS TIMESTAMP), '%Y-%m-%d %H:%M:%S') AS timestamp, "
                        + "sku FROM s_futures", out.resolve("oracle").resolve(FUTURES_FILE));
                progress.add(1);
            }
            Npy.writeLongs(out.resolve("input").resolve("relevant_clients.npy"), run.relevantIds());
            double secs = (System.nanoTime() - t0) / 1e9;
            Map<String, Object> oracle = new LinkedHashMap<>();
            oracle.put("draws", cfg.oracleDraws());
            oracle.put("validation_start", valStart.format(SplitWindows.TIMESTAMP));
            oracle.put("validation_end", run.dayStart(cfg.days()).minusSeconds(1).format(SplitWindows.TIMESTAMP));
            oracle.put("realised_max_product_buy", maxBuy.format(SplitWindows.TIMESTAMP));
            oracle.put("seed", cfg.seed());
            oracle.put("futures", "oracle/" + FUTURES_FILE
                    + ": product_buy rows of relevant clients in the validation window, draws 1..K (draw 0 is the "
                    + "realised future in product_buy.parquet)");
            oracle.put("probabilities", "per client and label, the mean over the K draws of 1 - exp(-hazard), the "
                    + "hazard integrated along the draw from the simulator's intensities (dev.ubm.data.synth.Oracle "
                    + "recomputes them from this config)");
            oracle.put("generator", GENERATOR);
            oracle.put("anchor", run.anchor);
            oracle.put("summary", oracleSummary);
            oracle.put("config", cfg.toMap());
            AtomicFiles.writeString(out.resolve("oracle").resolve(ORACLE_FILE), Json.write(oracle));
            return new Result(cfg, counts, run.clientsWithEvents, run.skusWritten, maxBuy, w, oracleSummary, secs);
        } catch (SQLException e) {
            throw new UnexpectedStateException("synth: DuckDB failed: " + e.getMessage(), e);
        }
    }

    private static void copy(Connection conn, String select, Path target) {
        AtomicFiles.writePath(target, tmp -> Duck.exec(conn, "COPY (" + select + ") TO " + Duck.sqlPath(tmp)
                + " (FORMAT parquet, COMPRESSION zstd)"));
    }

    /** Client ids: increasing, spread over [1, 20·clients]. */
    static long[] clientIds(SynthConfig cfg) {
        SplittableRandom r = Rand.stream(cfg.seed(), -2, 0);
        long[] ids = new long[cfg.clients()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = 1 + (long) i * 20 + r.nextInt(20);
        }
        return ids;
    }

    /**
     * Picks the relevant clients from their simulated input history (a first pass that simulates every client up
     * to the train window and keeps only tallies): a weighted sample of clients with input events, weighted towards
     * those who bought (as the organisers' relevant clients are mostly buyers), plus {@link #LATE_RELEVANT_SHARE}
     * of clients with no input events at all.
     */
    static boolean[] selectRelevant(Catalog cat, SynthConfig cfg) {
        int n = cfg.clients();
        double[] key = new double[n];
        boolean[] none = new boolean[n];
        ThreadLocal<Simulator> sims = ThreadLocal.withInitial(() -> new Simulator(cat, cfg));
        try (Progress progress = new Progress("synth: choosing relevant clients", n, "clients")) {
            inOrder(blocks(n), b -> {
                Simulator sim = sims.get();
                Tally tally = new Tally();
                int to = Math.min(n, (b + 1) * BLOCK);
                for (int i = b * BLOCK; i < to; i++) {
                    Client c = Client.draw(cat, cfg, i);
                    tally.events = 0;
                    tally.buys = 0;
                    tally.adds = 0;
                    sim.run(c, 0, cfg.trainStartDay(), Rand.stream(cfg.seed(), i, Rand.HISTORY), tally);
                    none[i] = tally.events == 0;
                    double w = none[i] ? 1 : 0.2 + (tally.buys > 0 ? 3 : 0) + (tally.adds > 0 ? 1 : 0);
                    key[i] = Math.log(1 - c.relevanceU) / w; // Efraimidis-Spirakis: the top keys are a weighted sample
                }
                return (long) (to - b * BLOCK);
            }, progress::add);
        }
        int nNone = 0;
        for (boolean x : none) {
            nNone += x ? 1 : 0;
        }
        int r = cfg.relevantClients();
        int wantNone = (int) Math.min(nNone, Math.round(LATE_RELEVANT_SHARE * r));
        int wantSome = Math.min(n - nNone, r - wantNone);
        wantNone = r - wantSome;
        boolean[] rel = new boolean[n];
        takeTop(key, none, false, wantSome, rel);
        takeTop(key, none, true, wantNone, rel);
        return rel;
    }

    /** Counts a client's input events (first pass of {@link #selectRelevant}). */
    private static final class Tally implements Simulator.Sink {
        int events;
        int buys;
        int adds;

        @Override
        public void product(int type, int day, int sec, int sku) {
            events++;
            buys += type == Simulator.BUY ? 1 : 0;
            adds += type == Simulator.ADD ? 1 : 0;
        }

        @Override
        public void visit(int day, int sec, int url) {
            events++;
        }

        @Override
        public void query(int day, int sec, byte[] codes) {
            events++;
        }

        @Override
        public boolean wantsQueries() {
            return false;
        }
    }

    static int blocks(int clients) {
        return (clients + BLOCK - 1) / BLOCK;
    }

    /** Work that may throw SQL errors when the main thread consumes a block. */
    @FunctionalInterface
    interface Consumer<T> {
        void accept(T t) throws SQLException;
    }

    /**
     * Runs {@code work} on blocks 0..n−1 in worker threads (one per core) and hands the results to {@code consume}
     * on the calling thread in block order, with a bounded look-ahead. Output does not depend on the thread count:
     * every block draws from its clients' own random streams.
     */
    static <T> void inOrder(int n, IntFunction<T> work, Consumer<T> consume) {
        int threads = Math.max(1, Integer.getInteger(THREADS_PROPERTY,
                Math.min(8, Runtime.getRuntime().availableProcessors())));
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "ubm-synth");
            t.setDaemon(true);
            return t;
        });
        try {
            ArrayDeque<Future<T>> queue = new ArrayDeque<>();
            int next = 0;
            for (int b = 0; b < n; b++) {
                while (next < n && queue.size() < 3 * threads) {
                    int nb = next++;
                    queue.add(pool.submit(() -> work.apply(nb)));
                }
                consume.accept(queue.poll().get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnexpectedStateException("synth: interrupted", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new UnexpectedStateException("synth: a worker failed: " + c, c);
        } catch (SQLException e) {
            throw new UnexpectedStateException("synth: cannot append to DuckDB: " + e.getMessage(), e);
        } finally {
            pool.shutdownNow();
        }
    }

    private static void takeTop(double[] key, boolean[] late, boolean pool, int want, boolean[] rel) {
        Integer[] idx = new Integer[key.length];
        int m = 0;
        for (int i = 0; i < key.length; i++) {
            if (late[i] == pool) {
                idx[m++] = i;
            }
        }
        Integer[] p = Arrays.copyOf(idx, m);
        Arrays.sort(p, (a, b) -> key[a] != key[b] ? Double.compare(key[b], key[a]) : Integer.compare(a, b));
        for (int i = 0; i < want; i++) {
            rel[p[i]] = true;
        }
    }

    /** numpy's str() of a uint8 array: values right-aligned to the widest, one space apart, in brackets. */
    static String codeString(byte[] codes, int from, int len) {
        int width = 1;
        for (int j = 0; j < len; j++) {
            int v = codes[from + j] & 0xff;
            width = Math.max(width, v >= 100 ? 3 : v >= 10 ? 2 : 1);
        }
        StringBuilder sb = new StringBuilder(2 + len * (width + 1));
        sb.append('[');
        for (int j = 0; j < len; j++) {
            if (j > 0) {
                sb.append(' ');
            }
            String s = Integer.toString(codes[from + j] & 0xff);
            for (int k = s.length(); k < width; k++) {
                sb.append(' ');
            }
            sb.append(s);
        }
        return sb.append(']').toString();
    }

    /** The appenders of one generation pass; closing flushes them. */
    private static final class Appenders implements AutoCloseable {
        final DuckDBAppender[] events = new DuckDBAppender[STAGING.length];
        final DuckDBAppender futures;
        final DuckDBAppender properties;

        Appenders(Connection conn) throws SQLException {
            DuckDBConnection dc = conn.unwrap(DuckDBConnection.class);
            for (int i = 0; i < STAGING.length; i++) {
                events[i] = dc.createAppender(DuckDBConnection.DEFAULT_SCHEMA, STAGING[i]);
            }
            futures = dc.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "s_futures");
            properties = dc.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "s_properties");
        }

        @Override
        public void close() throws SQLException {
            for (DuckDBAppender a : events) {
                a.close();
            }
            futures.close();
            properties.close();
        }
    }

    /** One block of consecutive clients, simulated by a worker: events and futures as primitive arrays. */
    private static final class Block {
        final int from;
        final int to;
        // realised events, client by client (clientEnd[j] = end offset of client from + j)
        int n;
        byte[] type = new byte[1024];
        long[] epoch = new long[1024];
        int[] item = new int[1024];
        String[] query = new String[1024];
        final int[] clientEnd;
        // oracle draws 1..K
        int nf;
        int[] fDraw = new int[256];
        int[] fClient = new int[256];
        long[] fEpoch = new long[256];
        int[] fSku = new int[256];
        // per client
        final boolean[] activeBefore;
        final boolean[] realisedNoBuy;
        final float[] pNoBuy;
        final int[] lastBuy;

        Block(int from, int to) {
            this.from = from;
            this.to = to;
            int m = to - from;
            clientEnd = new int[m];
            activeBefore = new boolean[m];
            realisedNoBuy = new boolean[m];
            pNoBuy = new float[m];
            lastBuy = new int[m];
        }

        void event(int t, long ts, int it, String q) {
            if (n == type.length) {
                int cap = n * 2;
                type = Arrays.copyOf(type, cap);
                epoch = Arrays.copyOf(epoch, cap);
                item = Arrays.copyOf(item, cap);
                query = Arrays.copyOf(query, cap);
            }
            type[n] = (byte) t;
            epoch[n] = ts;
            item[n] = it;
            query[n++] = q;
        }

        void future(int draw, int client, long ts, int sku) {
            if (nf == fDraw.length) {
                int cap = nf * 2;
                fDraw = Arrays.copyOf(fDraw, cap);
                fClient = Arrays.copyOf(fClient, cap);
                fEpoch = Arrays.copyOf(fEpoch, cap);
                fSku = Arrays.copyOf(fSku, cap);
            }
            fDraw[nf] = draw;
            fClient[nf] = client;
            fEpoch[nf] = ts;
            fSku[nf++] = sku;
        }
    }

    /** One generation: workers simulate blocks of clients, the calling thread appends them in order and tallies. */
    private static final class Run {
        final SynthConfig cfg;
        final Catalog cat;
        final boolean[] relevant;
        final long[] ids;
        final long startEpoch;
        final int valDay;
        final int trainDay;
        final int lastDay;
        final long[] counts = new long[STAGING.length];
        final BitSet skusUsed;
        long maxBuyEpoch = Long.MIN_VALUE;
        long clientsWithEvents;
        long skusWritten;
        long futureRows;
        Map<String, Object> anchor;
        // per relevant client (by ordinal among relevant clients, i.e. in id order)
        final boolean[] activeInput;
        final boolean[] realisedNoBuy;
        final float[] pNoBuy;
        int ordinal;
        // anchor candidate: the last non-relevant client that bought something
        long anchorId = -1;
        int anchorSku = -1;

        Run(SynthConfig cfg, Catalog cat, boolean[] relevant, long[] ids) {
            this.cfg = cfg;
            this.cat = cat;
            this.relevant = relevant;
            this.ids = ids;
            this.startEpoch = cfg.start().toEpochDay() * 86_400L;
            this.valDay = cfg.validationStartDay();
            this.trainDay = cfg.trainStartDay();
            this.lastDay = cfg.days() - 1;
            this.skusUsed = new BitSet(cat.nSku);
            this.activeInput = new boolean[cfg.relevantClients()];
            this.realisedNoBuy = new boolean[cfg.relevantClients()];
            this.pNoBuy = new float[cfg.relevantClients()];
        }

        LocalDateTime dayStart(int day) {
            return LocalDateTime.ofEpochSecond(startEpoch + day * 86_400L, 0, ZoneOffset.UTC);
        }

        long epoch(int day, int sec) {
            return startEpoch + day * 86_400L + sec;
        }

        void simulate(Appenders app) throws SQLException {
            ThreadLocal<Simulator> sims = ThreadLocal.withInitial(() -> new Simulator(cat, cfg));
            ThreadLocal<Intensity> intensities = ThreadLocal.withInitial(() -> new Intensity(cat, sims.get(),
                    Intensity.anyBuy(cat), 1, valDay, cfg.days()));
            try (Progress progress = new Progress("synth", cfg.clients(), "clients")) {
                inOrder(blocks(cfg.clients()), b -> simulateBlock(sims.get(), intensities.get(), b), block -> {
                    append(app, block);
                    progress.add(block.to - block.from);
                    progress.status(eventsStatus());
                });
            }
            if (maxBuyEpoch < epoch(lastDay, 0)) {
                plantAnchor(app);
            }
        }

        /**
         * Worker side: history up to the validation window, K futures from the saved state (their buys, and the
         * oracle's P(no buy) from the intensities along them), then the realised one.
         */
        private Block simulateBlock(Simulator sim, Intensity anyBuy, int b) {
            Block block = new Block(b * BLOCK, Math.min(cfg.clients(), (b + 1) * BLOCK));
            RealisedSink realised = new RealisedSink(block);
            FutureSink future = new FutureSink(block, anyBuy);
            int k = cfg.oracleDraws();
            for (int i = block.from; i < block.to; i++) {
                int j = i - block.from;
                Client c = Client.draw(cat, cfg, i);
                realised.begin();
                sim.run(c, 0, valDay, Rand.stream(cfg.seed(), i, Rand.HISTORY), realised);
                if (relevant[i]) {
                    anyBuy.beginClient(c);
                    for (int draw = 1; draw <= k; draw++) {
                        future.begin(draw, j);
                        anyBuy.beginPath();
                        sim.run(c.copy(), valDay, cfg.days(), Rand.stream(cfg.seed(), i, Rand.FUTURE + draw), future);
                        anyBuy.endPath();
                    }
                    block.pNoBuy[j] = (float) (1 - anyBuy.probability(0));
                }
                sim.run(c, valDay, cfg.days(), Rand.stream(cfg.seed(), i, Rand.FUTURE), realised);
                block.activeBefore[j] = realised.boughtBeforeTrain;
                block.realisedNoBuy[j] = !realised.boughtInFuture;
                block.lastBuy[j] = realised.lastSku;
                block.clientEnd[j] = block.n;
            }
            return block;
        }

        /** Main-thread side: appends a block's rows and updates every tally. */
        private void append(Appenders app, Block block) throws SQLException {
            int e = 0;
            for (int j = 0; j < block.to - block.from; j++) {
                int i = block.from + j;
                long id = ids[i];
                int end = block.clientEnd[j];
                clientsWithEvents += end > e ? 1 : 0;
                for (; e < end; e++) {
                    int t = block.type[e];
                    DuckDBAppender a = app.events[t].beginRow().append(id).appendEpochSeconds(block.epoch[e]);
                    if (t == Simulator.BUY || t == Simulator.ADD || t == Simulator.REMOVE) {
                        a.append(cat.skuId[block.item[e]]);
                        skusUsed.set(block.item[e]);
                        if (t == Simulator.BUY) {
                            maxBuyEpoch = Math.max(maxBuyEpoch, block.epoch[e]);
                        }
                    } else if (t == PAGE_VISIT) {
                        a.append(cat.urlId[block.item[e]]);
                    } else {
                        a.append(block.query[e]);
                    }
                    a.endRow();
                    counts[t]++;
                }
                if (relevant[i]) {
                    activeInput[ordinal] = block.activeBefore[j];
                    realisedNoBuy[ordinal] = block.realisedNoBuy[j];
                    pNoBuy[ordinal] = block.pNoBuy[j];
                    ordinal++;
                } else if (block.lastBuy[j] >= 0) {
                    anchorId = id;
                    anchorSku = block.lastBuy[j];
                }
            }
            for (int f = 0; f < block.nf; f++) {
                app.futures.beginRow().append(block.fDraw[f]).append(ids[block.from + block.fClient[f]])
                        .appendEpochSeconds(block.fEpoch[f]).append(cat.skuId[block.fSku[f]]).endRow();
                skusUsed.set(block.fSku[f]);
            }
            futureRows += block.nf;
        }

        private String eventsStatus() {
            long total = 0;
            for (long n : counts) {
                total += n;
            }
            return total + " events, " + futureRows + " future buys";
        }

        /**
         * The organisers' windows hang on the last buy, so the realised last buy must fall on the last simulated
         * day. Worlds large enough always have one; for tiny ones a non-relevant client (whose future no oracle
         * tracks) rebuys its last SKU at noon of the last day.
         */
        private void plantAnchor(Appenders app) throws SQLException {
            long id = anchorId >= 0 ? anchorId : firstNonRelevantId();
            int sku = anchorSku >= 0 ? anchorSku : cat.catStart[0];
            long ts = epoch(lastDay, 12 * 3600);
            app.events[Simulator.BUY].beginRow().append(id).appendEpochSeconds(ts).append(cat.skuId[sku]).endRow();
            counts[Simulator.BUY]++;
            skusUsed.set(sku);
            maxBuyEpoch = Math.max(maxBuyEpoch, ts);
            anchor = new LinkedHashMap<>();
            anchor.put("client_id", id);
            anchor.put("sku", cat.skuId[sku]);
            anchor.put("timestamp", LocalDateTime.ofEpochSecond(ts, 0, ZoneOffset.UTC).format(SplitWindows.TIMESTAMP));
        }

        private long firstNonRelevantId() {
            for (int i = 0; i < relevant.length; i++) {
                if (!relevant[i]) {
                    return ids[i];
                }
            }
            throw new IllegalStateException("every client is relevant");
        }

        long[] relevantIds() {
            long[] out = new long[cfg.relevantClients()];
            int j = 0;
            for (int i = 0; i < relevant.length; i++) {
                if (relevant[i]) {
                    out[j++] = ids[i];
                }
            }
            return out;
        }

        void writeProperties(DuckDBAppender props) throws SQLException {
            for (int s = skusUsed.nextSetBit(0); s >= 0; s = skusUsed.nextSetBit(s + 1)) {
                props.beginRow().append(cat.skuId[s]).append(cat.catId[cat.skuCat[s]]).append((long) cat.skuBucket[s])
                        .append(codeString(cat.skuName, s * Catalog.CODES, Catalog.CODES)).endRow();
                skusWritten++;
            }
        }

        Map<String, Object> oracleSummary() {
            int r = cfg.relevantClients();
            float[] p = pNoBuy;
            double churnReal = 0;
            double churnPred = 0;
            double convReal = 0;
            double convPred = 0;
            int nActive = 0;
            for (int i = 0; i < r; i++) {
                convReal += realisedNoBuy[i] ? 1 : 0;
                convPred += p[i];
                if (activeInput[i]) {
                    nActive++;
                    churnReal += realisedNoBuy[i] ? 1 : 0;
                    churnPred += p[i];
                }
            }
            float[] pa = new float[nActive];
            boolean[] ya = new boolean[nActive];
            int j = 0;
            for (int i = 0; i < r; i++) {
                if (activeInput[i]) {
                    pa[j] = p[i];
                    ya[j++] = realisedNoBuy[i];
                }
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("relevant_clients", r);
            m.put("active_relevant_clients", nActive);
            m.put("future_buy_rows", futureRows);
            m.put("churn_realised_rate", nActive == 0 ? Double.NaN : churnReal / nActive);
            m.put("churn_oracle_mean", nActive == 0 ? Double.NaN : churnPred / nActive);
            m.put("churn_oracle_auroc", Oracle.auroc(pa, ya));
            m.put("conversion_realised_rate", convReal / r);
            m.put("conversion_oracle_mean", convPred / r);
            m.put("conversion_oracle_auroc", Oracle.auroc(p, realisedNoBuy));
            return m;
        }

        /** Records the realised draw of one client into its block (worker side). */
        private final class RealisedSink implements Simulator.Sink {
            final Block block;
            boolean boughtBeforeTrain;
            boolean boughtInFuture;
            int lastSku;

            RealisedSink(Block block) {
                this.block = block;
            }

            void begin() {
                boughtBeforeTrain = false;
                boughtInFuture = false;
                lastSku = -1;
            }

            @Override
            public void product(int type, int day, int sec, int sku) {
                block.event(type, epoch(day, sec), sku, null);
                if (type == Simulator.BUY) {
                    lastSku = sku;
                    boughtBeforeTrain |= day < trainDay;
                    boughtInFuture |= day >= valDay;
                }
            }

            @Override
            public void visit(int day, int sec, int url) {
                block.event(PAGE_VISIT, epoch(day, sec), url, null);
            }

            @Override
            public void query(int day, int sec, byte[] codes) {
                block.event(SEARCH_QUERY, epoch(day, sec), 0, codeString(codes, 0, codes.length));
            }
        }

        /** Keeps only the buys of one oracle draw and feeds the draw's intensities (worker side). */
        private final class FutureSink implements Simulator.Sink {
            final Block block;
            final Intensity intensity;
            int draw;
            int client;

            FutureSink(Block block, Intensity intensity) {
                this.block = block;
                this.intensity = intensity;
            }

            void begin(int d, int clientInBlock) {
                draw = d;
                client = clientInBlock;
            }

            @Override
            public void product(int type, int day, int sec, int sku) {
                if (type == Simulator.BUY) {
                    block.future(draw, client, epoch(day, sec), sku);
                }
            }

            @Override
            public boolean wantsIntensities() {
                return true;
            }

            @Override
            public void sessions(Client c, int day, double expected, int forced) {
                intensity.sessions(c, day, expected, forced);
            }

            @Override
            public void due(Client c, int day, int sku, double buyProbability, int origin, int made) {
                intensity.due(c, day, sku, buyProbability, origin, made);
            }

            @Override
            public boolean wantsQueries() {
                return false;
            }
        }
    }
}
