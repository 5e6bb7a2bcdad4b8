package dev.ubm.data.synth;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The fixed part of a world: categories (code centroids, price centres, repurchase cycles, complement category),
 * SKUs grouped by category and sorted by release day (ids, latent price, price bucket, popularity, two complement
 * SKUs, name codes), URLs (generic pages, one page per category, one per SKU) and the taste clusters.
 */
final class Catalog {
    static final int CODES = 16;
    static final int GENERIC_URLS = 60;
    static final int HOME = 0;
    static final int CART = 1;
    static final int CHECKOUT = 2;
    /** Skus released within this many days count as "recent" for novelty seekers. */
    static final int RECENT_DAYS = 14;

    final int nCat;
    final int nSku;
    final long[] catId;
    final byte[] catCode;
    final double[] catPrice;
    final double[] catCum;
    final int[] catCycle;
    final int[] catComp;
    final int[] catStart;
    final int[] catEnd;

    final long[] skuId;
    final int[] skuCat;
    final double[] skuPrice;
    final int[] skuBucket;
    final int[] skuRelease;
    final double[] skuCum;
    final int[] skuComp;
    final boolean[] skuNew;
    final byte[] skuName;

    final long[] urlId;
    final double[] genericCum;

    final int nClusters;
    final int[][] clusterCats;
    final double[][] clusterCum;
    final double[] clusterPrice;
    final boolean[] clusterAdopter;
    final double[] clusterShareCum;

    /** The config's profile, whose mechanisms the simulator applies. */
    final Profile profile;
    /**
     * Drift ({@link Profile#drift} &gt; 0): category c's {@link Profile#SUCCESSORS} successors, at
     * {@code catNext[c * SUCCESSORS + j]}, drawn by popularity and distinct from c; null when the profile has no drift.
     */
    final int[] catNext;
    /**
     * Circles ({@link Profile#circle} &gt; 0): the whole catalog, new skus included, dealt at random into
     * {@code nCircles} circles of about {@link Profile#CIRCLE_SIZE} skus; circle i's skus are
     * {@code circleSkus[circleStart[i] .. circleStart[i + 1])}, sorted by release day (so the released ones on a day
     * are a prefix). {@code skuCircle[s]} is sku s's circle. Null (and nCircles 0) when the profile has none.
     */
    final int nCircles;
    final int[] circleStart;
    final int[] circleSkus;
    final int[] skuCircle;

    Catalog(SynthConfig cfg) {
        SplittableRandom r = Rand.stream(cfg.seed(), -1, 0);
        int days = cfg.days();
        nCat = cfg.categories();
        nSku = cfg.skus();

        // --- categories
        catId = Rand.ids(r, nCat, 5);
        long[] ranks = new long[nCat];
        for (int i = 0; i < nCat; i++) {
            ranks[i] = i;
        }
        Rand.shuffle(r, ranks);
        double[] catPop = new double[nCat];
        catCode = new byte[nCat * CODES];
        catPrice = new double[nCat];
        catCycle = new int[nCat];
        for (int c = 0; c < nCat; c++) {
            catPop[c] = 1.0 / Math.pow(ranks[c] + 1, 0.9);
            for (int j = 0; j < CODES; j++) {
                catCode[c * CODES + j] = (byte) r.nextInt(256);
            }
            catPrice[c] = Rand.gaussian(r);
            catCycle[c] = r.nextDouble() < 0.4 ? 5 + r.nextInt(21) : 0;
        }
        catCum = Rand.cumulative(catPop);
        catComp = new int[nCat];
        for (int c = 0; c < nCat; c++) {
            int o = Rand.pick(r, catCum);
            for (int t = 0; t < 20 && o == c; t++) {
                o = Rand.pick(r, catCum);
            }
            catComp[c] = o == c ? (c + 1) % nCat : o;
        }

        // --- taste clusters: each favours a core of categories and a price level; every third adopts new SKUs
        nClusters = cfg.tasteClusters();
        clusterCats = new int[nClusters][];
        clusterCum = new double[nClusters][];
        clusterPrice = new double[nClusters];
        clusterAdopter = new boolean[nClusters];
        double[] share = new double[nClusters];
        int core = Math.min(nCat, 12);
        for (int k = 0; k < nClusters; k++) {
            int[] cats = new int[core];
            double[] w = new double[core];
            boolean[] taken = new boolean[nCat];
            for (int j = 0; j < core; j++) {
                int c = Rand.pick(r, catCum);
                for (int t = 0; t < 50 && taken[c]; t++) {
                    c = r.nextInt(nCat);
                }
                while (taken[c]) {
                    c = (c + 1) % nCat;
                }
                taken[c] = true;
                cats[j] = c;
                w[j] = Math.exp(Rand.gaussian(r));
            }
            clusterCats[k] = cats;
            clusterCum[k] = Rand.cumulative(w);
            clusterPrice[k] = 0.8 * Rand.gaussian(r);
            clusterAdopter[k] = k % 3 == 0;
            share[k] = 1.0 / Math.pow(k + 1, 0.6);
        }
        clusterShareCum = Rand.cumulative(share);

        // --- skus: one per category first, the rest by category popularity; the new cohort in adopters' categories
        int nNew = (int) Math.min(nSku - nCat, Math.round(cfg.newSkuShare() * nSku));
        int[] adopterCats = adopterCategories();
        int[] tmpCat = new int[nSku];
        int[] tmpRelease = new int[nSku];
        boolean[] tmpNew = new boolean[nSku];
        double[] catPopSoft = new double[nCat];
        for (int c = 0; c < nCat; c++) {
            catPopSoft[c] = Math.pow(catPop[c], 0.7);
        }
        double[] catSoftCum = Rand.cumulative(catPopSoft);
        int newFrom = days - cfg.newSkuDays();
        for (int s = 0; s < nSku; s++) {
            if (s < nCat) {
                tmpCat[s] = s;
                tmpRelease[s] = -1;
            } else if (s < nCat + nNew && adopterCats.length > 0) {
                tmpCat[s] = adopterCats[r.nextInt(adopterCats.length)];
                tmpRelease[s] = newFrom + r.nextInt(cfg.newSkuDays());
                tmpNew[s] = true;
            } else {
                tmpCat[s] = Rand.pick(r, catSoftCum);
                tmpRelease[s] = r.nextDouble() < 0.8 ? -1 : r.nextInt(Math.max(1, newFrom));
            }
        }
        Integer[] order = new Integer[nSku];
        for (int s = 0; s < nSku; s++) {
            order[s] = s;
        }
        Arrays.sort(order, (a, b) -> tmpCat[a] != tmpCat[b] ? Integer.compare(tmpCat[a], tmpCat[b])
                : tmpRelease[a] != tmpRelease[b] ? Integer.compare(tmpRelease[a], tmpRelease[b]) : Integer.compare(a, b));
        skuCat = new int[nSku];
        skuRelease = new int[nSku];
        skuNew = new boolean[nSku];
        skuPrice = new double[nSku];
        double[] pop = new double[nSku];
        skuName = new byte[nSku * CODES];
        catStart = new int[nCat];
        catEnd = new int[nCat];
        Arrays.fill(catStart, -1);
        for (int s = 0; s < nSku; s++) {
            int o = order[s];
            int c = tmpCat[o];
            skuCat[s] = c;
            skuRelease[s] = tmpRelease[o];
            skuNew[s] = tmpNew[o];
            if (catStart[c] < 0) {
                catStart[c] = s;
            }
            catEnd[c] = s + 1;
            skuPrice[s] = catPrice[c] + 0.45 * Rand.gaussian(r);
            pop[s] = Math.exp(1.2 * Rand.gaussian(r)) * (skuNew[s] ? 2.0 : 1.0);
            for (int j = 0; j < CODES; j++) {
                int v = (catCode[c * CODES + j] & 0xff) + (int) Math.round(12 * Rand.gaussian(r));
                skuName[s * CODES + j] = (byte) Math.max(0, Math.min(255, v));
            }
        }
        skuCum = Rand.cumulative(pop);
        skuId = Rand.ids(r, nSku, 11);
        // price bucket 0..99: quantile of the latent price over the catalog
        Integer[] byPrice = new Integer[nSku];
        for (int s = 0; s < nSku; s++) {
            byPrice[s] = s;
        }
        Arrays.sort(byPrice, (a, b) -> skuPrice[a] != skuPrice[b] ? Double.compare(skuPrice[a], skuPrice[b])
                : Integer.compare(a, b));
        skuBucket = new int[nSku];
        for (int rank = 0; rank < nSku; rank++) {
            skuBucket[byPrice[rank]] = (int) ((long) rank * 100 / nSku);
        }
        // two complements per sku, from its category's complement category, by popularity
        skuComp = new int[2 * nSku];
        for (int s = 0; s < nSku; s++) {
            int cc = catComp[skuCat[s]];
            skuComp[2 * s] = Rand.pick(r, skuCum, catStart[cc], catEnd[cc]);
            skuComp[2 * s + 1] = Rand.pick(r, skuCum, catStart[cc], catEnd[cc]);
        }

        // --- urls: generic pages, a page per category, a page per sku
        urlId = Rand.ids(r, GENERIC_URLS + nCat + nSku, 3);
        double[] gw = new double[GENERIC_URLS];
        gw[HOME] = 40;
        gw[CART] = 6;
        gw[CHECKOUT] = 3;
        for (int i = 3; i < GENERIC_URLS; i++) {
            gw[i] = 4.0 / i;
        }
        genericCum = Rand.cumulative(gw);

        // --- profile mechanisms, from a stream of their own (the default world draws nothing more)
        profile = cfg.profile();
        SplittableRandom pr = Rand.stream(cfg.seed(), -3, 0);
        catNext = profile.drift > 0 ? successors(pr) : null;
        if (profile.circle > 0) {
            // after the successors, from the same stream of their own: the default world draws nothing here
            nCircles = (int) Math.max(1, Math.round((double) nSku / Profile.CIRCLE_SIZE));
            skuCircle = circles(pr);
            circleStart = new int[nCircles + 1];
            for (int s = 0; s < nSku; s++) {
                circleStart[skuCircle[s] + 1]++;
            }
            for (int i = 0; i < nCircles; i++) {
                circleStart[i + 1] += circleStart[i];
            }
            Integer[] byCircle = new Integer[nSku];
            for (int s = 0; s < nSku; s++) {
                byCircle[s] = s;
            }
            Arrays.sort(byCircle, (a, b) -> skuCircle[a] != skuCircle[b] ? Integer.compare(skuCircle[a], skuCircle[b])
                    : skuRelease[a] != skuRelease[b] ? Integer.compare(skuRelease[a], skuRelease[b])
                    : Integer.compare(a, b));
            circleSkus = new int[nSku];
            for (int i = 0; i < nSku; i++) {
                circleSkus[i] = byCircle[i];
            }
        } else {
            nCircles = 0;
            skuCircle = null;
            circleStart = null;
            circleSkus = null;
        }
    }

    /** Each category's successors: distinct categories drawn by popularity, none equal to the category itself. */
    private int[] successors(SplittableRandom r) {
        int k = Profile.SUCCESSORS;
        int[] next = new int[nCat * k];
        for (int c = 0; c < nCat; c++) {
            for (int j = 0; j < k; j++) {
                int o = Rand.pick(r, catCum);
                for (int t = 0; t < 50 && !fresh(next, c, j, o); t++) {
                    o = r.nextInt(nCat);
                }
                while (!fresh(next, c, j, o)) {
                    o = (o + 1) % nCat;
                }
                next[c * k + j] = o;
            }
        }
        return next;
    }

    private static boolean fresh(int[] next, int c, int j, int o) {
        if (o == c) {
            return false;
        }
        for (int i = 0; i < j; i++) {
            if (next[c * Profile.SUCCESSORS + i] == o) {
                return false;
            }
        }
        return true;
    }

    /** Each sku's circle: the skus in random order, dealt round-robin (circle sizes differ by at most one). */
    private int[] circles(SplittableRandom r) {
        long[] order = new long[nSku];
        for (int s = 0; s < nSku; s++) {
            order[s] = s;
        }
        Rand.shuffle(r, order);
        int[] circle = new int[nSku];
        for (int i = 0; i < nSku; i++) {
            circle[(int) order[i]] = i % nCircles;
        }
        return circle;
    }

    /** How many skus of circle i are released on or before day d (a prefix of the circle's skus). */
    int circleReleased(int i, int d) {
        int lo = circleStart[i];
        int hi = circleStart[i + 1];
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (skuRelease[circleSkus[mid]] > d) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo - circleStart[i];
    }

    private int[] adopterCategories() {
        int n = 0;
        for (int k = 0; k < nClusters; k++) {
            n += clusterAdopter[k] ? clusterCats[k].length : 0;
        }
        int[] out = new int[n];
        int i = 0;
        for (int k = 0; k < nClusters; k++) {
            if (clusterAdopter[k]) {
                for (int c : clusterCats[k]) {
                    out[i++] = c;
                }
            }
        }
        return out;
    }

    int categoryUrl(int c) {
        return GENERIC_URLS + c;
    }

    int productUrl(int s) {
        return GENERIC_URLS + nCat + s;
    }

    /** End (exclusive) of category c's skus released on or before day d (a prefix: skus are sorted by release). */
    int releasedEnd(int c, int d) {
        return firstReleaseAfter(c, d);
    }

    /** First index in category c whose release day is greater than d. */
    int firstReleaseAfter(int c, int d) {
        int lo = catStart[c];
        int hi = catEnd[c];
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (skuRelease[mid] > d) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    boolean released(int s, int d) {
        return skuRelease[s] <= d;
    }
}
