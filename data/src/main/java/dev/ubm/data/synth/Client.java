package dev.ubm.data.synth;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * One client's latent traits (fixed) and latent state (phase, engagement, pending repurchases and complement
 * intents, last category and last bought SKU). The state at the start of the validation window is what the
 * oracle's futures start from: {@link #copy} it, then simulate each draw on its own copy.
 */
final class Client {
    static final byte NOT_JOINED = 0;
    static final byte ACTIVE = 1;
    static final byte DECLINING = 2;
    static final byte CHURNED = 3;
    static final byte REPURCHASE = 1;
    static final byte COMPLEMENT = 2;
    static final int MAX_PENDING = 16;

    final int index;
    // traits
    final int firstDay;
    final double rate;
    final double hazard;
    final double decay;
    final double buyer;
    final double searcher;
    final double novelty;
    final double loyalty;
    final int cluster;
    final double price;
    final int[] fav;
    /** Uniform draw behind the weighted choice of relevant clients. */
    final double relevanceU;
    /** A bot ({@link Profile#bots}): its sessions are product-page visits only. */
    final boolean bot;
    /** The client's co-purchase circle ({@link Profile#circle}), for life; −1 when the profile has none. */
    final int circle;
    // state
    byte phase = NOT_JOINED;
    double eng;
    int lastCat = -1;
    int lastSku = -1;
    int nPend;
    int[] pendDay = new int[4];
    int[] pendSku = new int[4];
    byte[] pendKind = new byte[4];
    /** The sku whose buy scheduled the intent, and the day of that buy (the oracle's bookkeeping). */
    int[] pendOrigin = new int[4];
    int[] pendMade = new int[4];

    private Client(int index, int firstDay, double rate, double hazard, double decay, double buyer, double searcher,
            double novelty, double loyalty, int cluster, double price, int[] fav, double relevanceU, boolean bot,
            int circle) {
        this.index = index;
        this.firstDay = firstDay;
        this.rate = rate;
        this.hazard = hazard;
        this.decay = decay;
        this.buyer = buyer;
        this.searcher = searcher;
        this.novelty = novelty;
        this.loyalty = loyalty;
        this.cluster = cluster;
        this.price = price;
        this.fav = fav;
        this.relevanceU = relevanceU;
        this.bot = bot;
        this.circle = circle;
    }

    /** Draws client {@code index}'s traits from its own stream (the same on every call). */
    static Client draw(Catalog cat, SynthConfig cfg, int index) {
        SplittableRandom r = Rand.stream(cfg.seed(), index, Rand.PARAMS);
        int days = cfg.days();
        // a third were already customers when the log starts; the rest arrive uniformly
        int firstDay = r.nextDouble() < 0.4 ? r.nextInt(Math.min(14, days)) : r.nextInt(days);
        // sessions per day: log-normal, heavy-tailed (most clients visit once or twice, a few daily)
        double rate = Math.min(8.0, 0.012 * cfg.activity() * Math.exp(1.7 * Rand.gaussian(r)));
        // per-day chance of starting to decline; frequent clients are more loyal
        double hazard = Math.min(0.5, Math.exp(Math.log(1.0 / 60) + 0.7 * Rand.gaussian(r)) / (1 + 3 * rate));
        double decay = 0.82 + 0.13 * r.nextDouble();
        double buyer = r.nextDouble() < 0.3 ? 0.03 : 0.15 + 0.6 * Math.pow(r.nextDouble(), 0.7);
        double searcher = Math.pow(r.nextDouble(), 2);
        double novelty = Math.pow(r.nextDouble(), 3);
        double loyalty = 0.4 + 0.55 * r.nextDouble();
        int cluster = Rand.pick(r, cat.clusterShareCum);
        double price = cat.clusterPrice[cluster] + 0.5 * Rand.gaussian(r);
        int[] fav = new int[3];
        for (int j = 0; j < 2; j++) {
            fav[j] = cat.clusterCats[cluster][Rand.pick(r, cat.clusterCum[cluster])];
        }
        fav[2] = Rand.pick(r, cat.catCum);
        double relevanceU = r.nextDouble();
        // profile traits are drawn last, so that the default profile draws exactly what it always drew
        boolean bot = cfg.profile().bots > 0 && r.nextDouble() < cfg.profile().bots;
        if (bot) {
            rate = Math.min(8.0, (0.5 + r.nextDouble()) * cfg.activity());
            hazard = 0.002;
        }
        int circle = cat.circleStart != null ? r.nextInt(cat.nCircles) : -1;
        return new Client(index, firstDay, rate, hazard, decay, buyer, searcher, novelty, loyalty, cluster, price, fav,
                relevanceU, bot, circle);
    }

    Client copy() {
        Client c = new Client(index, firstDay, rate, hazard, decay, buyer, searcher, novelty, loyalty, cluster, price,
                fav, relevanceU, bot, circle);
        c.phase = phase;
        c.eng = eng;
        c.lastCat = lastCat;
        c.lastSku = lastSku;
        c.nPend = nPend;
        c.pendDay = Arrays.copyOf(pendDay, pendDay.length);
        c.pendSku = Arrays.copyOf(pendSku, pendSku.length);
        c.pendKind = Arrays.copyOf(pendKind, pendKind.length);
        c.pendOrigin = Arrays.copyOf(pendOrigin, pendOrigin.length);
        c.pendMade = Arrays.copyOf(pendMade, pendMade.length);
        return c;
    }

    /** An intent for {@code sku} due on {@code day}, made by the buy of {@code origin} on day {@code made}. */
    void schedule(int day, int sku, byte kind, int origin, int made) {
        if (nPend == MAX_PENDING) {
            return;
        }
        if (nPend == pendDay.length) {
            int n = Math.min(MAX_PENDING, nPend * 2);
            pendDay = Arrays.copyOf(pendDay, n);
            pendSku = Arrays.copyOf(pendSku, n);
            pendKind = Arrays.copyOf(pendKind, n);
            pendOrigin = Arrays.copyOf(pendOrigin, n);
            pendMade = Arrays.copyOf(pendMade, n);
        }
        pendDay[nPend] = day;
        pendSku[nPend] = sku;
        pendKind[nPend] = kind;
        pendOrigin[nPend] = origin;
        pendMade[nPend] = made;
        nPend++;
    }
}
