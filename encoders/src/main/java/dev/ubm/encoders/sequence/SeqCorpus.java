package dev.ubm.encoders.sequence;

import dev.ubm.core.AtomicFiles;
import dev.ubm.core.EventType;
import dev.ubm.core.Json;
import dev.ubm.core.UnexpectedStateException;
import dev.ubm.data.ClientEvents;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The training data of the sequence encoder as compact columns, not Java objects: each client's last
 * {@code historyLen} events (time-ordered, all types) as memory-mapped arrays of timestamps, types, item ids,
 * categories, prices and name/query codes, plus per-client offsets and the client's totals over its whole history
 * (events, buys, adds: the kept window is only the last {@code historyLen}). About 35 bytes per event; a million
 * clients with 128 events each is 4.5 GB of page cache and a few tens of MB of heap.
 */
final class SeqCorpus {
    static final int VERSION = 2;
    private static final String META = "corpus.json";

    private final Path dir;
    private final Map<String, Object> meta;
    private final long[] clients;
    private final long[] offsets;
    private final long[] totals;
    private final long baseTs;
    private final long cutoff;
    private final MappedColumn ts;
    private final MappedColumn type;
    private final MappedColumn item;
    private final MappedColumn cat;
    private final MappedColumn price;
    private final MappedColumn ncode;
    private final MappedColumn codes;

    private SeqCorpus(Path dir, Map<String, Object> meta, long[] clients, long[] offsets, long[] totals) {
        this.dir = dir;
        this.meta = meta;
        this.clients = clients;
        this.offsets = offsets;
        this.totals = totals;
        this.baseTs = ((Number) meta.get("base_ts")).longValue();
        this.cutoff = ((Number) meta.get("cutoff")).longValue();
        ts = MappedColumn.open(dir.resolve("ts.i32"));
        type = MappedColumn.open(dir.resolve("type.i8"));
        item = MappedColumn.open(dir.resolve("item.i64"));
        cat = MappedColumn.open(dir.resolve("cat.i32"));
        price = MappedColumn.open(dir.resolve("price.i8"));
        ncode = MappedColumn.open(dir.resolve("ncode.i8"));
        codes = MappedColumn.open(dir.resolve("codes.i8"));
    }

    /** Number of clients (all with at least one event). */
    int clients() {
        return clients.length;
    }

    long clientId(int c) {
        return clients[c];
    }

    /** Index of a client id, or -1 when the client has no events. */
    int indexOf(long clientId) {
        int i = Arrays.binarySearch(clients, clientId);
        return i >= 0 ? i : -1;
    }

    long start(int c) {
        return offsets[c];
    }

    long end(int c) {
        return offsets[c + 1];
    }

    long events() {
        return offsets[clients.length];
    }

    /** Client c's events over its whole input history (the corpus keeps only the last historyLen). */
    long totalEvents(int c) {
        return totals[3 * c];
    }

    /** Client c's buys over its whole input history. */
    long totalBuys(int c) {
        return totals[3 * c + 1];
    }

    /** Client c's adds to cart over its whole input history. */
    long totalAdds(int c) {
        return totals[3 * c + 2];
    }

    /** Epoch second of the input cutoff (midnight after the last input event). */
    long cutoff() {
        return cutoff;
    }

    long ts(long e) {
        return baseTs + ts.getInt(e);
    }

    int type(long e) {
        return type.getByte(e);
    }

    /** sku, url or query id, by type. */
    long item(long e) {
        return item.getLong(e);
    }

    int category(long e) {
        return cat.getInt(e);
    }

    int price(long e) {
        return price.getByte(e);
    }

    int codeCount(long e) {
        return ncode.getByte(e);
    }

    int code(long e, int j) {
        return codes.getByte(e * TokenLayout.CODES + j) & 0xff;
    }

    Map<String, Object> meta() {
        return meta;
    }

    Path dir() {
        return dir;
    }

    /** Opens a corpus dir when it exists and its meta matches {@code expect} on every key of expect. */
    static Optional<SeqCorpus> openIfMatches(Path dir, Map<String, Object> expect) {
        Path m = dir.resolve(META);
        if (!Files.isRegularFile(m)) {
            return Optional.empty();
        }
        try {
            Map<String, Object> meta = Json.parseObject(Files.readString(m, StandardCharsets.UTF_8));
            for (Map.Entry<String, Object> e : expect.entrySet()) {
                if (!String.valueOf(e.getValue()).equals(String.valueOf(meta.get(e.getKey())))) {
                    return Optional.empty();
                }
            }
            long[] clients = readLongs(dir.resolve("clients.i64"));
            long[] offsets = readLongs(dir.resolve("offsets.i64"));
            long[] totals = readLongs(dir.resolve("totals.i64"));
            return Optional.of(new SeqCorpus(dir, meta, clients, offsets, totals));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static long[] readLongs(Path f) throws IOException {
        MappedColumn c = MappedColumn.open(f);
        long[] out = new long[(int) (c.bytes() / 8)];
        for (int i = 0; i < out.length; i++) {
            out[i] = c.getLong(i);
        }
        return out;
    }

    /**
     * Writes a corpus into {@code dir} (built in a temp dir beside it, then renamed): feed clients (all their
     * events) in ascending id order with {@link Builder#add}, then {@link Builder#finish}; only the last
     * {@code keep} events of each are stored.
     */
    static Builder builder(Path dir, Map<String, Object> meta, long cutoff, int keep) {
        return new Builder(dir, meta, cutoff, keep);
    }

    /** Streams clients into column files. */
    static final class Builder {
        private final Path dir;
        private final Path tmp;
        private final Map<String, Object> meta;
        private final long cutoff;
        private final MappedColumn.Writer ts;
        private final MappedColumn.Writer type;
        private final MappedColumn.Writer item;
        private final MappedColumn.Writer cat;
        private final MappedColumn.Writer price;
        private final MappedColumn.Writer ncode;
        private final MappedColumn.Writer codes;
        private long[] clients = new long[1024];
        private long[] offsets = new long[1025];
        private long[] totals = new long[3 * 1024];
        private final int keep;
        private int n;
        private long events;
        private long baseTs = Long.MIN_VALUE;
        private final byte[] codeBuf = new byte[TokenLayout.CODES];

        private Builder(Path dir, Map<String, Object> meta, long cutoff, int keep) {
            this.keep = keep;
            this.dir = dir.toAbsolutePath();
            this.tmp = AtomicFiles.tempBeside(this.dir);
            this.meta = new LinkedHashMap<>(meta);
            this.cutoff = cutoff;
            try {
                Files.createDirectories(tmp);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create " + tmp, e);
            }
            ts = new MappedColumn.Writer(tmp.resolve("ts.i32"));
            type = new MappedColumn.Writer(tmp.resolve("type.i8"));
            item = new MappedColumn.Writer(tmp.resolve("item.i64"));
            cat = new MappedColumn.Writer(tmp.resolve("cat.i32"));
            price = new MappedColumn.Writer(tmp.resolve("price.i8"));
            ncode = new MappedColumn.Writer(tmp.resolve("ncode.i8"));
            codes = new MappedColumn.Writer(tmp.resolve("codes.i8"));
        }

        void add(ClientEvents ce) {
            if (ce.size() == 0) {
                return;
            }
            if (n > 0 && ce.clientId() <= clients[n - 1]) {
                throw new UnexpectedStateException("client sequences out of order: " + ce.clientId() + " after "
                        + clients[n - 1]);
            }
            if (n == clients.length) {
                clients = Arrays.copyOf(clients, n * 2);
                offsets = Arrays.copyOf(offsets, n * 2 + 1);
                totals = Arrays.copyOf(totals, 3 * n * 2);
            }
            clients[n] = ce.clientId();
            offsets[n] = events;
            if (baseTs == Long.MIN_VALUE) {
                baseTs = cutoff - (1L << 31) + 1;
            }
            long buys = 0;
            long adds = 0;
            for (int i = 0; i < ce.size(); i++) {
                EventType t = ce.type(i);
                buys += t == EventType.PRODUCT_BUY ? 1 : 0;
                adds += t == EventType.ADD_TO_CART ? 1 : 0;
            }
            totals[3 * n] = ce.size();
            totals[3 * n + 1] = buys;
            totals[3 * n + 2] = adds;
            int from = keep > 0 ? Math.max(0, ce.size() - keep) : 0;
            for (int i = from; i < ce.size(); i++) {
                EventType t = ce.type(i);
                long rel = ce.timestamp(i) - baseTs;
                if (rel < 0 || rel > Integer.MAX_VALUE) {
                    throw new UnexpectedStateException("event time " + ce.timestamp(i) + " too far before the cutoff");
                }
                ts.putInt((int) rel);
                type.putByte(t.code());
                int nc = Math.min(ce.codeCount(i), TokenLayout.CODES);
                for (int j = 0; j < TokenLayout.CODES; j++) {
                    codeBuf[j] = (byte) (j < nc ? ce.code(i, j) : 0);
                }
                long id = switch (t.itemKind()) {
                    case SKU -> ce.sku(i);
                    case URL -> ce.url(i);
                    case QUERY -> ItemHashing.queryId(codeBuf, 0, nc);
                };
                item.putLong(id);
                long c = ce.category(i);
                cat.putInt(c < 0 ? -1 : (int) Math.min(c, Integer.MAX_VALUE));
                int p = ce.price(i);
                price.putByte(p < 0 ? -1 : Math.min(p, 127));
                ncode.putByte(nc);
                for (int j = 0; j < TokenLayout.CODES; j++) {
                    codes.putByte(codeBuf[j]);
                }
            }
            events += ce.size() - from;
            n++;
        }

        long clientsSoFar() {
            return n;
        }

        /** Closes the files, writes the offsets and meta, renames the temp dir into place and opens it. */
        SeqCorpus finish() {
            for (MappedColumn.Writer w : new MappedColumn.Writer[] {ts, type, item, cat, price, ncode, codes}) {
                w.close();
            }
            offsets[n] = events;
            try (MappedColumn.Writer c = new MappedColumn.Writer(tmp.resolve("clients.i64"));
                    MappedColumn.Writer o = new MappedColumn.Writer(tmp.resolve("offsets.i64"));
                    MappedColumn.Writer tw = new MappedColumn.Writer(tmp.resolve("totals.i64"))) {
                for (int i = 0; i < 3 * n; i++) {
                    tw.putLong(totals[i]);
                }
                for (int i = 0; i < n; i++) {
                    c.putLong(clients[i]);
                }
                for (int i = 0; i <= n; i++) {
                    o.putLong(offsets[i]);
                }
            }
            Map<String, Object> m = new LinkedHashMap<>(meta);
            m.put("version", VERSION);
            m.put("clients", n);
            m.put("events", events);
            m.put("cutoff", cutoff);
            m.put("base_ts", baseTs == Long.MIN_VALUE ? cutoff - (1L << 31) + 1 : baseTs);
            AtomicFiles.writeString(tmp.resolve(META), Json.write(m));
            try {
                AtomicFiles.deleteTreeQuietly(dir);
                Files.move(tmp, dir);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot move " + tmp + " to " + dir, e);
            }
            return openIfMatches(dir, Map.of()).orElseThrow(
                    () -> new UnexpectedStateException("cannot reopen the corpus just written at " + dir));
        }

        void abort() {
            for (MappedColumn.Writer w : new MappedColumn.Writer[] {ts, type, item, cat, price, ncode, codes}) {
                try {
                    w.close();
                } catch (RuntimeException ignored) {
                    // best effort
                }
            }
            AtomicFiles.deleteTreeQuietly(tmp);
        }
    }

}
