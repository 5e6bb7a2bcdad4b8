package dev.ubm.data.synth;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Simulates one client's days: a daily phase step (active → declining → churned), a Poisson number of sessions
 * with weekly seasonality, the sessions that pending repurchases and complement intents trigger, and within a
 * session the funnel page visits → searches → cart adds and removes → buys (with the structured profile, a share of
 * the sessions browse the client's co-purchase circle instead of a category). Events go to a {@link Sink} in time
 * order per session; the same code simulates the history, the realised future and every oracle draw.
 */
final class Simulator {
    /** Receives a client's events; day is the 0-based day index, sec the second of that day. */
    interface Sink {
        /** type: 0 buy, 1 add, 2 remove (EventType codes); sku: catalog index. A sink hears what it overrides. */
        default void product(int type, int day, int sec, int sku) {
        }

        default void visit(int day, int sec, int url) {
        }

        /** codes: 16 values 0..255, valid only during the call. */
        default void query(int day, int sec, byte[] codes) {
        }

        /** False for sinks that keep only buys: the simulator then skips drawing query codes (nothing depends on them). */
        default boolean wantsQueries() {
            return true;
        }

        /** True for sinks that want {@link #sessions} and {@link #due} (the oracle's intensities). */
        default boolean wantsIntensities() {
            return false;
        }

        /**
         * Called on every day the client is not churned, before anything happens that day, with the client in its
         * state at the start of the day: {@code expected} generic sessions follow (the Poisson mean) and
         * {@code forced} more for sure (1 on the client's first day).
         */
        default void sessions(Client c, int day, double expected, int forced) {
        }

        /**
         * Called for every pending intent that falls due today, with the probability that it ends in a buy, and
         * the sku and day of the buy that made it.
         */
        default void due(Client c, int day, int sku, double buyProbability, int origin, int made) {
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
    /** Candidates that popularity proposes for a sku choice (the price kernel picks one). */
    static final int CANDIDATES = 5;
    /** Browsed skus per session: 1 + min(24, Geom(BROWSE_STOP)). */
    static final double BROWSE_STOP = 0.45;
    /** Novelty sessions: P(novel) = novelty × this (adopter clusters, others); then each browse is recent w.p. 0.6. */
    static final double NOVEL_ADOPTER = 0.7;
    static final double NOVEL_OTHER = 0.2;
    static final double NOVEL_BROWSE = 0.6;
    /** Cart of a buying session: the last browsed sku, a complement w.p. 0.35, the one browsed before w.p. 0.15. */
    static final double CART_COMPLEMENT = 0.35;
    static final double CART_SECOND = 0.15;
    static final double CART_REMOVE = 0.2;
    static final double CHECKOUT = 0.6;
    static final double BUY_AT_CHECKOUT = 0.92;
    /** Targeted sessions (pending intents). */
    static final double TARGET_REMOVE = 0.12;
    static final double SURE_ADD = 0.85;
    static final double SURE_BUY = 0.85;
    static final double COMPLEMENT_ADD_BONUS = 0.3;
    static final double COMPLEMENT_ADD_MAX = 0.95;
    static final double COMPLEMENT_BUY = 0.6;
    /** Session category: the last session's w.p. 0.25, else (u &lt; 0.35) the complement category of the last buy. */
    static final double SAME_CATEGORY = 0.25;
    static final double SAME_OR_COMPLEMENT = 0.35;
    /** Otherwise: the cluster core w.p. 0.6, a favourite w.p. 0.28, global popularity w.p. 0.12. */
    static final double CORE = 0.6;
    static final double CORE_OR_FAV = 0.88;
    private static final double[] SUCCESSOR_CUM = Rand.cumulative(Profile.SUCCESSOR_WEIGHTS);

    private final Catalog cat;
    private final int firstDow;
    private final byte[] codes = new byte[Catalog.CODES];
    private final int[] cart = new int[4];
    private final int[] cands = new int[CANDIDATES];
    private final int[] dueSku = new int[Client.MAX_PENDING];
    private final byte[] dueKind = new byte[Client.MAX_PENDING];
    private final int[] dueOrigin = new int[Client.MAX_PENDING];
    private final int[] dueMade = new int[Client.MAX_PENDING];
    private final double[] candW = new double[CANDIDATES];
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
            double expected = c.rate * c.eng * WEEKLY[(firstDow + d) % 7];
            boolean intensities = sink.wantsIntensities();
            if (intensities) {
                sink.sessions(c, d, expected, first ? 1 : 0);
            }
            int n = Rand.poisson(r, expected) + (first ? 1 : 0);
            // sessions that earlier buys scheduled for today (taken out first: they may schedule new ones)
            int due = 0;
            int keep = 0;
            for (int i = 0; i < c.nPend; i++) {
                if (c.pendDay[i] <= d) {
                    dueSku[due] = c.pendSku[i];
                    dueOrigin[due] = c.pendOrigin[i];
                    dueMade[due] = c.pendMade[i];
                    dueKind[due++] = c.pendKind[i];
                } else {
                    c.pendDay[keep] = c.pendDay[i];
                    c.pendSku[keep] = c.pendSku[i];
                    c.pendOrigin[keep] = c.pendOrigin[i];
                    c.pendMade[keep] = c.pendMade[i];
                    c.pendKind[keep++] = c.pendKind[i];
                }
            }
            c.nPend = keep;
            for (int i = 0; i < due; i++) {
                if (intensities) {
                    sink.due(c, d, dueSku[i], targetedBuyProbability(c, d, dueSku[i], dueKind[i]), dueOrigin[i],
                            dueMade[i]);
                }
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
        boolean sure = kind != Client.COMPLEMENT;
        if (r.nextDouble() < (sure ? SURE_ADD : Math.min(COMPLEMENT_ADD_MAX, c.buyer + COMPLEMENT_ADD_BONUS))) {
            sink.product(ADD, d, tick(r), s);
            sink.visit(d, tick(r), Catalog.CART);
            if (r.nextDouble() < TARGET_REMOVE) {
                sink.product(REMOVE, d, tick(r), s);
            } else if (r.nextDouble() < (sure ? SURE_BUY : COMPLEMENT_BUY)) {
                sink.visit(d, tick(r), Catalog.CHECKOUT);
                sink.product(BUY, d, tick(r), s);
                bought(c, d, s, r);
            }
        }
    }

    /**
     * P(a pending intent for sku s, due on day d, ends in a buy): the session happens (always when active, else
     * with probability = engagement), the sku is released, it is added, not removed, and bought.
     */
    double targetedBuyProbability(Client c, int d, int s, byte kind) {
        if (!cat.released(s, d)) {
            return 0;
        }
        boolean sure = kind != Client.COMPLEMENT;
        double happens = c.phase == Client.ACTIVE ? 1 : c.eng;
        double add = sure ? SURE_ADD : Math.min(COMPLEMENT_ADD_MAX, c.buyer + COMPLEMENT_ADD_BONUS);
        return happens * add * (1 - TARGET_REMOVE) * (sure ? SURE_BUY : COMPLEMENT_BUY);
    }

    private void session(Client c, int d, SplittableRandom r, Sink sink) {
        if (c.bot) {
            botSession(c, d, r, sink);
            return;
        }
        if (c.circle >= 0) {
            int m = cat.circleReleased(c.circle, d);
            if (m > 0 && r.nextDouble() < cat.profile.circle) {
                circleSession(c, d, m, r, sink);
                return;
            }
        }
        int k = chooseCategory(c, r);
        int end = cat.releasedEnd(k, d);
        int recent = cat.firstReleaseAfter(k, d - Catalog.RECENT_DAYS);
        boolean novel = recent < end
                && r.nextDouble() < c.novelty * (cat.clusterAdopter[c.cluster] ? NOVEL_ADOPTER : NOVEL_OTHER);
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
        int browse = 1 + Math.min(24, Rand.geometric(r, BROWSE_STOP));
        int last = -1;
        int second = -1;
        for (int i = 0; i < browse; i++) {
            int s = novel && r.nextDouble() < NOVEL_BROWSE ? Rand.pick(r, cat.skuCum, recent, end)
                    : chooseSku(c, k, end, r);
            sink.visit(d, tick(r), cat.productUrl(s));
            if (s != last) {
                second = last;
                last = s;
            }
        }
        c.lastCat = k;
        fillCart(c, d, last, second, r, sink);
    }

    /**
     * A circle session (profile): like a generic session, but the browsed skus are drawn uniformly from the m
     * released skus of the client's circle, with no category page and no search; the cart and checkout are the
     * generic ones. The client's last category is left as it was (circle skus span categories).
     * {@link Intensity} gives its buy probabilities.
     */
    private void circleSession(Client c, int d, int m, SplittableRandom r, Sink sink) {
        int from = cat.circleStart[c.circle];
        startSession(r);
        if (r.nextDouble() < BOUNCE) {
            int url = r.nextDouble() < 0.4 ? Catalog.HOME : cat.productUrl(cat.circleSkus[from + r.nextInt(m)]);
            sink.visit(d, tick(r), url);
            return;
        }
        if (r.nextDouble() < 0.45) {
            sink.visit(d, tick(r), Catalog.HOME);
        }
        int browse = 1 + Math.min(24, Rand.geometric(r, BROWSE_STOP));
        int last = -1;
        int second = -1;
        for (int i = 0; i < browse; i++) {
            int s = cat.circleSkus[from + r.nextInt(m)];
            sink.visit(d, tick(r), cat.productUrl(s));
            if (s != last) {
                second = last;
                last = s;
            }
        }
        fillCart(c, d, last, second, r, sink);
    }

    /**
     * The end of a non-bounce session: with probability = the client's buyer trait the last browsed sku goes to
     * the cart, with a complement and the sku browsed before it; each may be removed; then checkout and buys.
     */
    private void fillCart(Client c, int d, int last, int second, SplittableRandom r, Sink sink) {
        if (r.nextDouble() >= c.buyer) {
            return;
        }
        int n = 0;
        cart[n++] = last;
        if (r.nextDouble() < CART_COMPLEMENT) {
            int y = cat.skuComp[2 * last + r.nextInt(2)];
            if (cat.released(y, d) && y != last) {
                sink.visit(d, tick(r), cat.productUrl(y));
                cart[n++] = y;
            }
        }
        if (second >= 0 && r.nextDouble() < CART_SECOND) {
            cart[n++] = second;
        }
        for (int i = 0; i < n; i++) {
            sink.product(ADD, d, tick(r), cart[i]);
        }
        sink.visit(d, tick(r), Catalog.CART);
        int kept = 0;
        for (int i = 0; i < n; i++) {
            if (r.nextDouble() < CART_REMOVE) {
                sink.product(REMOVE, d, tick(r), cart[i]);
            } else {
                cart[kept++] = cart[i];
            }
        }
        if (kept > 0 && r.nextDouble() < CHECKOUT) {
            sink.visit(d, tick(r), Catalog.CHECKOUT);
            for (int i = 0; i < kept; i++) {
                if (r.nextDouble() < BUY_AT_CHECKOUT) {
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
            c.schedule(due, s, Client.REPURCHASE, s, d);
        }
        if (r.nextDouble() < 0.3) {
            c.schedule(d + 1 + Rand.geometric(r, 0.3), cat.skuComp[2 * s + r.nextInt(2)], Client.COMPLEMENT, s, d);
        }
    }

    /** A bot's session (profile): 5-24 product pages of uniformly drawn released skus; no cart, no buy. */
    private void botSession(Client c, int d, SplittableRandom r, Sink sink) {
        startSession(r);
        int pages = 5 + r.nextInt(20);
        for (int i = 0; i < pages; i++) {
            int s = r.nextInt(cat.nSku);
            sink.visit(d, tick(r), cat.released(s, d) ? cat.productUrl(s) : Catalog.HOME);
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

    /** A generic session's category; {@link #categoryMix} gives the same distribution in closed form. */
    private int chooseCategory(Client c, SplittableRandom r) {
        if (cat.catNext != null && c.lastCat >= 0 && r.nextDouble() < cat.profile.drift) {
            return cat.catNext[c.lastCat * Profile.SUCCESSORS + Rand.pick(r, SUCCESSOR_CUM)];
        }
        double u = r.nextDouble();
        if (c.lastCat >= 0 && u < SAME_CATEGORY) {
            return c.lastCat;
        }
        if (c.lastSku >= 0 && u < SAME_OR_COMPLEMENT) {
            return cat.catComp[cat.skuCat[c.lastSku]];
        }
        double v = r.nextDouble();
        if (v < CORE) {
            return cat.clusterCats[c.cluster][Rand.pick(r, cat.clusterCum[c.cluster])];
        }
        if (v < CORE_OR_FAV) {
            return c.fav[r.nextInt(c.fav.length)];
        }
        return Rand.pick(r, cat.catCum);
    }

    /**
     * The distribution of {@link #chooseCategory} in the client's current state, in two parts: the categories
     * that depend on the state (last category, complement of the last buy, drift successors) go into
     * {@code mix} with their probabilities; the returned share is spread as {@link #traitMix}.
     */
    double categoryMix(Client c, Mix mix) {
        mix.n = 0;
        double scale = 1;
        if (cat.catNext != null && c.lastCat >= 0) {
            double drift = cat.profile.drift;
            for (int j = 0; j < Profile.SUCCESSORS; j++) {
                mix.add(cat.catNext[c.lastCat * Profile.SUCCESSORS + j], drift * Profile.SUCCESSOR_WEIGHTS[j]);
            }
            scale = 1 - drift;
        }
        double same = c.lastCat >= 0 ? SAME_CATEGORY : 0;
        double comp = c.lastSku >= 0 ? SAME_OR_COMPLEMENT - same : 0;
        if (same > 0) {
            mix.add(c.lastCat, scale * same);
        }
        if (comp > 0) {
            mix.add(cat.catComp[cat.skuCat[c.lastSku]], scale * comp);
        }
        return scale * (1 - same - comp);
    }

    /** The state-free part of the category choice (cluster core, favourites, popularity) as weights summing to 1. */
    void traitMix(Client c, double[] w) {
        Arrays.fill(w, 0);
        int[] core = cat.clusterCats[c.cluster];
        double[] cum = cat.clusterCum[c.cluster];
        for (int j = 0; j < core.length; j++) {
            w[core[j]] += CORE * (cum[j] - (j == 0 ? 0 : cum[j - 1])) / cum[core.length - 1];
        }
        for (int f : c.fav) {
            w[f] += (CORE_OR_FAV - CORE) / c.fav.length;
        }
        double total = cat.catCum[cat.nCat - 1];
        for (int k = 0; k < cat.nCat; k++) {
            w[k] += (1 - CORE_OR_FAV) * (cat.catCum[k] - (k == 0 ? 0 : cat.catCum[k - 1])) / total;
        }
    }

    /** State-dependent categories with their probabilities (see {@link #categoryMix}). */
    static final class Mix {
        int n;
        final int[] cat = new int[Profile.SUCCESSORS + 2];
        final double[] w = new double[Profile.SUCCESSORS + 2];

        void add(int k, double p) {
            cat[n] = k;
            w[n++] = p;
        }
    }

    /**
     * A released sku of category k: popularity proposes candidates, the client's price level picks among them.
     * {@link #skuChoice} gives its distribution.
     */
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

    /**
     * The distribution of {@link #chooseSku} over skus [from, end) of category k, into p[0..end-from). With
     * candidate weights w (the price kernel) and popularity shares π, P(s) = 5 π_s w_s E[1 / (w_s + S)] where S is
     * the weight of the 4 other candidates; E[1/(w_s + S)] is taken to second order in S (mean 4m, variance 4v).
     */
    void skuChoice(Client c, int from, int end, double[] p) {
        int n = end - from;
        if (n == 1) {
            p[0] = 1;
            return;
        }
        double popTotal = cat.skuCum[end - 1] - (from == 0 ? 0 : cat.skuCum[from - 1]);
        double m = 0;
        double m2 = 0;
        for (int i = 0; i < n; i++) {
            int s = from + i;
            double pi = (cat.skuCum[s] - (s == 0 ? 0 : cat.skuCum[s - 1])) / popTotal;
            double dp = cat.skuPrice[s] - c.price;
            double w = Math.exp(-dp * dp / PRICE_KERNEL);
            p[i] = w;
            m += pi * w;
            m2 += pi * w * w;
        }
        int others = CANDIDATES - 1;
        double var = Math.max(0, m2 - m * m);
        double total = 0;
        for (int i = 0; i < n; i++) {
            int s = from + i;
            double pi = (cat.skuCum[s] - (s == 0 ? 0 : cat.skuCum[s - 1])) / popTotal;
            double w = p[i];
            double x = w + others * m;
            p[i] = pi * w * (1 / x + others * var / (x * x * x));
            total += p[i];
        }
        for (int i = 0; i < n; i++) {
            p[i] /= total;
        }
    }
}
