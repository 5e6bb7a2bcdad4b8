package dev.ubm.data.synth;

import java.util.SplittableRandom;

/**
 * Simulates one client's days: a daily phase step (active → declining → churned), a Poisson number of sessions
 * with weekly seasonality, the sessions that pending repurchases and complement intents trigger, and within a
 * session the funnel page visits → searches → cart adds and removes → buys. Events go to a {@link Sink} in time
 * order per session; the same code simulates the history, the realised future and every oracle draw.
 */
final class Simulator {
    /** Receives a client's events; day is the 0-based day index, sec the second of that day. */
    interface Sink {
        /** type: 0 buy, 1 add, 2 remove (EventType codes); sku: catalog index. */
        void product(int type, int day, int sec, int sku);

        void visit(int day, int sec, int url);

        /** codes: 16 values 0..255, valid only during the call. */
        void query(int day, int sec, byte[] codes);

        /** False for sinks that keep only buys: the simulator then skips drawing query codes (nothing depends on them). */
        default boolean wantsQueries() {
            return true;
        }
    }

    static final int BUY = 0;
    static final int ADD = 1;
    static final int REMOVE = 2;
    /** Session rate multiplier per day of week, Monday first (mean 1). */
    static final double[] WEEKLY = {0.85, 0.85, 0.85, 0.9, 1.05, 1.3, 1.2};
    private static final double[] HOURS_CUM = Rand.cumulative(new double[] {
        0.3, 0.2, 0.1, 0.1, 0.1, 0.2, 0.5, 1.0, 1.5, 1.8, 2.0, 2.2,
        2.6, 2.4, 2.0, 1.9, 2.0, 2.3, 2.8, 3.4, 3.8, 3.6, 2.4, 1.0});
    /** Share of generic sessions that are a single page visit. */
    static final double BOUNCE = 0.3;
    private static final double PRICE_KERNEL = 2 * 0.6 * 0.6;

    private final Catalog cat;
    private final int firstDow;
    private final byte[] codes = new byte[Catalog.CODES];
    private final int[] cart = new int[4];
    private final int[] cands = new int[5];
    private final int[] dueSku = new int[Client.MAX_PENDING];
    private final byte[] dueKind = new byte[Client.MAX_PENDING];
    private final double[] candW = new double[5];
    private int sec;

    Simulator(Catalog cat, SynthConfig cfg) {
        this.cat = cat;
        this.firstDow = cfg.start().getDayOfWeek().getValue() - 1;
    }

    /** Simulates days [from, to) of client c, mutating its state. */
    void run(Client c, int from, int to, SplittableRandom r, Sink sink) {
        for (int d = from; d < to; d++) {
            if (d < c.firstDay) {
                continue;
            }
            boolean first = d == c.firstDay;
            if (first) {
                c.phase = Client.ACTIVE;
                c.eng = 1;
            } else {
                step(c, r);
            }
            if (c.phase == Client.CHURNED) {
                c.nPend = 0;
                continue;
            }
            int n = Rand.poisson(r, c.rate * c.eng * WEEKLY[(firstDow + d) % 7]) + (first ? 1 : 0);
            // sessions that earlier buys scheduled for today (taken out first: they may schedule new ones)
            int due = 0;
            int keep = 0;
            for (int i = 0; i < c.nPend; i++) {
                if (c.pendDay[i] <= d) {
                    dueSku[due] = c.pendSku[i];
                    dueKind[due++] = c.pendKind[i];
                } else {
                    c.pendDay[keep] = c.pendDay[i];
                    c.pendSku[keep] = c.pendSku[i];
                    c.pendKind[keep++] = c.pendKind[i];
                }
            }
            c.nPend = keep;
            for (int i = 0; i < due; i++) {
                if (c.phase == Client.ACTIVE || r.nextDouble() < c.eng) {
                    targetedSession(c, d, dueSku[i], dueKind[i], r, sink);
                }
            }
            for (int s = 0; s < n; s++) {
                session(c, d, r, sink);
            }
        }
    }

    private static void step(Client c, SplittableRandom r) {
        double u = r.nextDouble();
        switch (c.phase) {
            case Client.ACTIVE -> {
                c.eng += 0.05 * (1 - c.eng);
                if (u < c.hazard) {
                    c.phase = Client.DECLINING;
                }
            }
            case Client.DECLINING -> {
                c.eng *= c.decay;
                if (u < 0.02) {
                    c.phase = Client.ACTIVE;
                    c.eng = 1;
                } else if (c.eng < 0.08) {
                    c.phase = Client.CHURNED;
                }
            }
            case Client.CHURNED -> {
                if (u < 0.002) {
                    c.phase = Client.ACTIVE;
                    c.eng = 0.7;
                }
            }
            default -> {
            }
        }
    }

    private void startSession(SplittableRandom r) {
        sec = Rand.pick(r, HOURS_CUM) * 3600 + r.nextInt(3600);
    }

    private int tick(SplittableRandom r) {
        int s = sec;
        sec = (int) Math.min(86_399, sec + 3 + Rand.exponential(r, 40));
        return s;
    }

    private void targetedSession(Client c, int d, int s, byte kind, SplittableRandom r, Simulator.Sink sink) {
        if (!cat.released(s, d)) {
            return;
        }
        startSession(r);
        if (r.nextDouble() < 0.3) {
            sink.visit(d, tick(r), Catalog.HOME);
        }
        sink.visit(d, tick(r), cat.productUrl(s));
        boolean repurchase = kind == Client.REPURCHASE;
        if (r.nextDouble() < (repurchase ? 0.85 : Math.min(0.95, c.buyer + 0.3))) {
            sink.product(ADD, d, tick(r), s);
            sink.visit(d, tick(r), Catalog.CART);
            if (r.nextDouble() < 0.12) {
                sink.product(REMOVE, d, tick(r), s);
            } else if (r.nextDouble() < (repurchase ? 0.85 : 0.6)) {
                sink.visit(d, tick(r), Catalog.CHECKOUT);
                sink.product(BUY, d, tick(r), s);
                bought(c, d, s, r);
            }
        }
    }

    private void session(Client c, int d, SplittableRandom r, Sink sink) {
        int k = chooseCategory(c, r);
        int end = cat.releasedEnd(k, d);
        int recent = cat.firstReleaseAfter(k, d - Catalog.RECENT_DAYS);
        boolean novel = recent < end
                && r.nextDouble() < c.novelty * (cat.clusterAdopter[c.cluster] ? 0.7 : 0.2);
        startSession(r);
        if (r.nextDouble() < BOUNCE) {
            // a bounce: one page and gone
            double u = r.nextDouble();
            int url = u < 0.4 ? Catalog.HOME : u < 0.7 ? cat.categoryUrl(k) : cat.productUrl(chooseSku(c, k, end, r));
            sink.visit(d, tick(r), url);
            return;
        }
        if (r.nextDouble() < 0.45) {
            sink.visit(d, tick(r), Catalog.HOME);
        } else if (r.nextDouble() < 0.1) {
            sink.visit(d, tick(r), Rand.pick(r, cat.genericCum, 3, Catalog.GENERIC_URLS));
        }
        if (r.nextDouble() < 0.6) {
            sink.visit(d, tick(r), cat.categoryUrl(k));
        }
        if (r.nextDouble() < c.searcher) {
            query(k, d, r, sink);
            if (r.nextDouble() < 0.3) {
                query(k, d, r, sink);
            }
        }
        int browse = 1 + Math.min(24, Rand.geometric(r, 0.45));
        int last = -1;
        int second = -1;
        for (int i = 0; i < browse; i++) {
            int s = novel && r.nextDouble() < 0.6 ? Rand.pick(r, cat.skuCum, recent, end) : chooseSku(c, k, end, r);
            sink.visit(d, tick(r), cat.productUrl(s));
            if (s != last) {
                second = last;
                last = s;
            }
        }
        c.lastCat = k;
        if (r.nextDouble() >= c.buyer) {
            return;
        }
        int n = 0;
        cart[n++] = last;
        if (r.nextDouble() < 0.35) {
            int y = cat.skuComp[2 * last + r.nextInt(2)];
            if (cat.released(y, d) && y != last) {
                sink.visit(d, tick(r), cat.productUrl(y));
                cart[n++] = y;
            }
        }
        if (second >= 0 && r.nextDouble() < 0.15) {
            cart[n++] = second;
        }
        for (int i = 0; i < n; i++) {
            sink.product(ADD, d, tick(r), cart[i]);
        }
        sink.visit(d, tick(r), Catalog.CART);
        int kept = 0;
        for (int i = 0; i < n; i++) {
            if (r.nextDouble() < 0.2) {
                sink.product(REMOVE, d, tick(r), cart[i]);
            } else {
                cart[kept++] = cart[i];
            }
        }
        if (kept > 0 && r.nextDouble() < 0.6) {
            sink.visit(d, tick(r), Catalog.CHECKOUT);
            for (int i = 0; i < kept; i++) {
                if (r.nextDouble() < 0.92) {
                    sink.product(BUY, d, tick(r), cart[i]);
                    bought(c, d, cart[i], r);
                }
            }
        }
    }

    /** After a buy: maybe schedule a repurchase (consumable categories) and a complement intent. */
    private void bought(Client c, int d, int s, SplittableRandom r) {
        c.lastSku = s;
        int cycle = cat.catCycle[cat.skuCat[s]];
        if (cycle > 0 && r.nextDouble() < c.loyalty) {
            int due = d + Math.max(1, (int) Math.round(cycle * Math.exp(0.15 * Rand.gaussian(r))));
            c.schedule(due, s, Client.REPURCHASE);
        }
        if (r.nextDouble() < 0.3) {
            c.schedule(d + 1 + Rand.geometric(r, 0.3), cat.skuComp[2 * s + r.nextInt(2)], Client.COMPLEMENT);
        }
    }

    /** A search near category k: each code is the category's code plus triangular noise in −12..12 (sd ≈ 5). */
    private void query(int k, int d, SplittableRandom r, Sink sink) {
        if (!sink.wantsQueries()) {
            sink.query(d, tick(r), codes);
            return;
        }
        for (int j = 0; j < Catalog.CODES; j++) {
            int v = (cat.catCode[k * Catalog.CODES + j] & 0xff) + r.nextInt(13) + r.nextInt(13) - 12;
            codes[j] = (byte) Math.max(0, Math.min(255, v));
        }
        sink.query(d, tick(r), codes);
    }

    private int chooseCategory(Client c, SplittableRandom r) {
        double u = r.nextDouble();
        if (c.lastCat >= 0 && u < 0.25) {
            return c.lastCat;
        }
        if (c.lastSku >= 0 && u < 0.35) {
            return cat.catComp[cat.skuCat[c.lastSku]];
        }
        double v = r.nextDouble();
        if (v < 0.6) {
            return cat.clusterCats[c.cluster][Rand.pick(r, cat.clusterCum[c.cluster])];
        }
        if (v < 0.88) {
            return c.fav[r.nextInt(c.fav.length)];
        }
        return Rand.pick(r, cat.catCum);
    }

    /** A released sku of category k: popularity proposes candidates, the client's price level picks among them. */
    private int chooseSku(Client c, int k, int end, SplittableRandom r) {
        int from = cat.catStart[k];
        if (end - from == 1) {
            return from;
        }
        double total = 0;
        for (int i = 0; i < cands.length; i++) {
            int s = Rand.pick(r, cat.skuCum, from, end);
            double dp = cat.skuPrice[s] - c.price;
            cands[i] = s;
            total += Math.exp(-dp * dp / PRICE_KERNEL);
            candW[i] = total;
        }
        double x = r.nextDouble() * total;
        for (int i = 0; i < cands.length; i++) {
            if (candW[i] > x) {
                return cands[i];
            }
        }
        return cands[cands.length - 1];
    }
}
