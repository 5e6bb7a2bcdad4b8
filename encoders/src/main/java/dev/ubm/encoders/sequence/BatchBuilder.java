package dev.ubm.encoders.sequence;

import dev.ubm.core.EventType;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Turns (client, cutoff) examples into {@link SeqBatch}es. A sequence is {@code BOS, e_s..e_{k-1}, NOW}: the last
 * {@code maxLen - 2} events before the cutoff, then a NOW token that carries the time since the last event and
 * the cutoff's hour of week; the client vector is the NOW token's output. Labels come from the client's events
 * after each position (the corpus holds the true future up to the real cutoff):
 * <ul>
 *   <li>next type and gap: the next event (BOS predicts the first event's type, NOW the first after the cutoff);</li>
 *   <li>next item: the first later buy/add sku; next url: the first later page visit;</li>
 *   <li>future window: one buy/add sku drawn from the position's next {@code windowDays} days.</li>
 * </ul>
 * Rows per sampled-softmax head are capped at {@code maxRowsPerHead} (random subset).
 */
final class BatchBuilder {
    private final SeqCorpus corpus;
    private final ItemVocab skus;
    private final ItemVocab urls;
    private final SeqConfig cfg;
    private final TokenLayout layout;
    private final long window;
    private final FirstSeen firstSeen;
    /** Label space of the targets objective; null when it is off. */
    private final TargetLabels targets;
    private static final long DAY = 86_400L;
    private final int[] noneCodes = new int[TokenLayout.CODES];
    /** Table row -> position in the batch's rows, -1 when unused (reset after every batch). */
    private final int[] slot;

    BatchBuilder(SeqCorpus corpus, ItemVocab skus, ItemVocab urls, SeqConfig cfg) {
        this(corpus, skus, urls, cfg, null);
    }

    /**
     * @param targets the targets objective's label space; needed for labelled batches when that objective is on
     *     (inference builds none), else ignored
     */
    BatchBuilder(SeqCorpus corpus, ItemVocab skus, ItemVocab urls, SeqConfig cfg, TargetLabels targets) {
        this.targets = cfg.has(Objective.TARGETS) ? targets : null;
        this.corpus = corpus;
        this.skus = skus;
        this.urls = urls;
        this.cfg = cfg;
        this.layout = new TokenLayout(cfg.hashBuckets());
        this.window = cfg.windowDays() * 86_400L;
        this.firstSeen = FirstSeen.of(corpus);
        for (int j = 0; j < TokenLayout.CODES; j++) {
            noneCodes[j] = layout.code(j, -1);
        }
        slot = new int[layout.rows()];
        Arrays.fill(slot, -1);
    }

    /**
     * Replaces every table row index of the batch by its position in the sorted distinct rows, so the model reads
     * (and lazy Adam updates) only those rows.
     */
    private SeqBatch remap(int b, int time, int[] tokens, int[] codes, int[] rel, long[] last, long[] typeRows,
            int[] typeLabels, long[] gapRows, int[] gapLabels, long[] itemRows, int[] itemLabels, long[] windowRows,
            int[] windowLabels, int[] skuFields, int[] skuCodes, float[] skuLogQ, long[] urlRows, int[] urlLabels,
            int[] urlFields, float[] urlLogQ, long[] activityRows, float[] activityLabels, int[] volumeLabels,
            float[] targetLabels, long real) {
        IntList used = new IntList(1024);
        int[][] arrays = {tokens, codes, skuFields, skuCodes, urlFields};
        for (int[] a : arrays) {
            if (a == null) {
                continue;
            }
            for (int r : a) {
                if (slot[r] < 0) {
                    slot[r] = 0;
                    used.add(r);
                }
            }
        }
        int[] sorted = used.toArray();
        Arrays.sort(sorted);
        long[] rows = new long[sorted.length];
        for (int i = 0; i < sorted.length; i++) {
            rows[i] = sorted[i];
            slot[sorted[i]] = i;
        }
        for (int[] a : arrays) {
            if (a == null) {
                continue;
            }
            for (int i = 0; i < a.length; i++) {
                a[i] = slot[a[i]];
            }
        }
        for (int r : sorted) {
            slot[r] = -1;
        }
        return new SeqBatch(rows, b, time, tokens, codes, rel, last, typeRows, typeLabels, gapRows, gapLabels, itemRows,
                itemLabels, windowRows, windowLabels, skuFields, skuCodes, skuLogQ, urlRows, urlLabels, urlFields,
                urlLogQ, activityRows, activityLabels, volumeLabels, targetLabels, real);
    }

    TokenLayout layout() {
        return layout;
    }

    /** First event index of client c at or after epoch second {@code t} (binary search; events are time-ordered). */
    long firstAtOrAfter(int c, long t) {
        long lo = corpus.start(c);
        long hi = corpus.end(c);
        while (lo < hi) {
            long mid = (lo + hi) >>> 1;
            if (corpus.ts(mid) < t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Sequence length (tokens incl. BOS and NOW) of client c cut at {@code cutoff}. */
    int length(int c, long cutoff) {
        long k = firstAtOrAfter(c, cutoff);
        long s = Math.max(corpus.start(c), k - (cfg.maxLen() - 2));
        return (int) (k - s) + 2;
    }

    /**
     * Builds a batch. {@code clients[i] < 0} means a client with no events (the sequence is BOS, NOW).
     *
     * @param withLabels false for inference (no labels, no candidates)
     */
    SeqBatch build(int[] clients, long[] cutoffs, boolean withLabels, SplittableRandom rng) {
        if (withLabels && cfg.has(Objective.TARGETS) && targets == null) {
            throw new IllegalStateException("the targets objective needs the target lists (TargetLabels)");
        }
        int b = clients.length;
        long[] ks = new long[b];
        long[] ss = new long[b];
        int time = 2;
        for (int i = 0; i < b; i++) {
            if (clients[i] < 0) {
                continue;
            }
            ks[i] = firstAtOrAfter(clients[i], cutoffs[i]);
            ss[i] = Math.max(corpus.start(clients[i]), ks[i] - (cfg.maxLen() - 2));
            time = Math.max(time, (int) (ks[i] - ss[i]) + 2);
        }
        int[] tokens = new int[b * time * TokenLayout.FIELDS];
        int[] rel = cfg.timeBias() ? new int[b * time * time] : null;
        long[] times = new long[time];
        int[] codes = new int[b * time * TokenLayout.CODES];
        long[] last = new long[b];
        Labels lab = withLabels ? new Labels(b * time) : null;
        long real = 0;
        int[] padTok = specialToken(TokenLayout.TYPE_NOW, 0, 0);
        for (int i = 0; i < b; i++) {
            int c = clients[i];
            long k = c < 0 ? 0 : ks[i];
            long s = c < 0 ? 0 : ss[i];
            int len = (int) (k - s) + 2;
            int base = i * time;
            // BOS: a constant token, so its output is the learned empty-history vector
            put(tokens, codes, base, specialToken(TokenLayout.TYPE_BOS, 0, 0), noneCodes);
            for (long e = s; e < k; e++) {
                putEvent(tokens, codes, base + (int) (e - s) + 1, c, e);
            }
            long cutoff = cutoffs[i];
            int gap = c < 0 || k == corpus.start(c) ? 0 : TokenLayout.gapBucket(cutoff - corpus.ts(k - 1));
            int[] now = specialToken(TokenLayout.TYPE_NOW, gap, TokenLayout.towBucket(cutoff));
            if (c >= 0) {
                summarize(now, c, k, cutoff);
            }
            put(tokens, codes, base + len - 1, now, noneCodes);
            for (int t = len; t < time; t++) {
                put(tokens, codes, base + t, padTok, noneCodes);
            }
            last[i] = base + len - 1;
            real += len;
            if (rel != null) {
                for (int t = 1; t < time; t++) {
                    times[t] = t < len - 1 ? corpus.ts(s + t - 1) : cutoff;
                }
                relativeBuckets(rel, i * time * time, times, time);
            }
            if (lab != null && c >= 0) {
                labelSequence(lab, c, s, k, cutoff, base, len, rng);
            }
        }
        if (lab == null) {
            return remap(b, time, tokens, codes, rel, last, null, null, null, null, null, null, null, null, null,
                    null, null, null, null, null, null, null, null, null, null, real);
        }
        return lab.finish(b, time, tokens, codes, rel, last, real, rng);
    }

    /**
     * Bucket of the time from key k to query q for k <= q of one sequence (position 0 = BOS has no time: bucket 0);
     * the masked upper triangle stays 0.
     */
    static void relativeBuckets(int[] out, int off, long[] times, int time) {
        for (int q = 1; q < time; q++) {
            int row = off + q * time;
            for (int k = 1; k <= q; k++) {
                out[row + k] = TokenLayout.gapBucket(times[q] - times[k]);
            }
        }
    }

    private int[] specialToken(int type, int gap, int tow) {
        int[] t = new int[TokenLayout.FIELDS];
        t[0] = layout.noneItem();
        t[1] = layout.noneItem();
        t[2] = layout.noneCategory();
        t[3] = layout.noneCategory();
        t[4] = layout.type(type);
        t[5] = layout.price(-1);
        t[6] = layout.gap(gap);
        t[7] = layout.tow(tow);
        t[8] = layout.age(0);
        for (int f = 0; f < TokenLayout.COUNT_FIELDS; f++) {
            t[9 + f] = layout.count(f, 0);
        }
        return t;
    }

    /** Fills the NOW token's count fields from the client's stored events before the cutoff (index k). */
    private void summarize(int[] now, int c, long k, long cutoff) {
        long start = corpus.start(c);
        long[] windows = {DAY, 7 * DAY, 30 * DAY};
        for (int w = 0; w < windows.length; w++) {
            long from = firstAtOrAfter(c, cutoff - windows[w]);
            now[9 + w] = layout.count(w, TokenLayout.countBucket(Math.max(0, k - from)));
        }
        // totals before the cutoff = whole-history totals minus the (kept) events at or after it
        long end = corpus.end(c);
        int buysAfter = 0;
        int addsAfter = 0;
        int buy = EventType.PRODUCT_BUY.code();
        int add = EventType.ADD_TO_CART.code();
        for (long e = k; e < end; e++) {
            int t = corpus.type(e);
            buysAfter += t == buy ? 1 : 0;
            addsAfter += t == add ? 1 : 0;
        }
        now[12] = layout.count(3, TokenLayout.countBucket(corpus.totalEvents(c) - (end - k)));
        now[13] = layout.count(4, TokenLayout.countBucket(corpus.totalBuys(c) - buysAfter));
        now[14] = layout.count(5, TokenLayout.countBucket(corpus.totalAdds(c) - addsAfter));
    }

    private static void put(int[] tokens, int[] codes, int pos, int[] tok, int[] cds) {
        System.arraycopy(tok, 0, tokens, pos * TokenLayout.FIELDS, TokenLayout.FIELDS);
        System.arraycopy(cds, 0, codes, pos * TokenLayout.CODES, TokenLayout.CODES);
    }

    private void putEvent(int[] tokens, int[] codes, int pos, int c, long e) {
        int type = corpus.type(e);
        EventType et = EventType.ofCode(type);
        long id = corpus.item(e);
        int o = pos * TokenLayout.FIELDS;
        ItemHashing.Kind kind = switch (et.itemKind()) {
            case SKU -> ItemHashing.Kind.SKU;
            case URL -> ItemHashing.Kind.URL;
            case QUERY -> ItemHashing.Kind.QUERY;
        };
        tokens[o] = layout.item(kind, id, 0);
        tokens[o + 1] = layout.item(kind, id, 1);
        int cat = corpus.category(e);
        tokens[o + 2] = cat < 0 ? layout.noneCategory() : layout.item(ItemHashing.Kind.CATEGORY, cat, 0);
        tokens[o + 3] = cat < 0 ? layout.noneCategory() : layout.item(ItemHashing.Kind.CATEGORY, cat, 1);
        tokens[o + 4] = layout.type(type);
        tokens[o + 5] = layout.price(et.isProductEvent() ? corpus.price(e) : -1);
        tokens[o + 6] = layout.gap(e == corpus.start(c) ? 0 : TokenLayout.gapBucket(corpus.ts(e) - corpus.ts(e - 1)));
        tokens[o + 7] = layout.tow(TokenLayout.towBucket(corpus.ts(e)));
        long age = firstSeen.age(type, id, corpus.ts(e));
        tokens[o + 8] = layout.age(age < 0 ? 0 : TokenLayout.gapBucket(age));
        for (int f = 0; f < TokenLayout.COUNT_FIELDS; f++) {
            tokens[o + 9 + f] = layout.count(f, 0);
        }
        int nc = corpus.codeCount(e);
        int co = pos * TokenLayout.CODES;
        for (int j = 0; j < TokenLayout.CODES; j++) {
            codes[co + j] = layout.code(j, j < nc ? corpus.code(e, j) : -1);
        }
    }

    /** The events in [s, end) whose type passes {@code type}, in time order. */
    private long[] eventsWhere(long s, long end, java.util.function.IntPredicate type) {
        int n = 0;
        for (long e = s; e < end; e++) {
            n += type.test(corpus.type(e)) ? 1 : 0;
        }
        long[] out = new long[n];
        int i = 0;
        for (long e = s; e < end; e++) {
            if (type.test(corpus.type(e))) {
                out[i++] = e;
            }
        }
        return out;
    }

    /** Labels of one sequence: BOS at base, events s..k-1 at base+1.., NOW at base+len-1. */
    private void labelSequence(Labels lab, int c, long s, long k, long cutoff, int base, int len,
            SplittableRandom rng) {
        long end = corpus.end(c);
        // next buy/add and next visit at or after each index in [s, end]
        int span = (int) (end - s);
        long[] nextProd = new long[span + 1];
        long[] nextVisit = new long[span + 1];
        long[] nextBuy = new long[span + 1];
        long[] nextAdd = new long[span + 1];
        nextProd[span] = -1;
        nextVisit[span] = -1;
        nextBuy[span] = -1;
        nextAdd[span] = -1;
        int buyCode = EventType.PRODUCT_BUY.code();
        int addCode = EventType.ADD_TO_CART.code();
        int visit = EventType.PAGE_VISIT.code();
        for (int j = span - 1; j >= 0; j--) {
            long e = s + j;
            int t = corpus.type(e);
            nextProd[j] = ItemVocab.isTarget(t) ? e : nextProd[j + 1];
            nextVisit[j] = t == visit ? e : nextVisit[j + 1];
            nextBuy[j] = t == buyCode ? e : nextBuy[j + 1];
            nextAdd[j] = t == addCode ? e : nextAdd[j + 1];
        }
        long[] prods = eventsWhere(s, end, ItemVocab::isTarget);
        int[] buyLabels = new int[3];
        int lo = 0;
        int hi = 0;
        long vhi = s;
        boolean future = cfg.has(Objective.ACTIVITY) || cfg.has(Objective.VOLUME) || targets != null;
        for (int p = 0; p < len; p++) {
            long f;
            long ref;
            boolean gapLabel = true;
            if (p == 0) {
                f = s;
                ref = k > s ? corpus.ts(s) - 1 : cutoff;
                gapLabel = false;
            } else if (p == len - 1) {
                f = k;
                ref = cutoff;
            } else {
                long e = s + p - 1;
                f = e + 1;
                ref = corpus.ts(e);
            }
            long flat = base + p;
            if (future && ref + window <= corpus.cutoff()) {
                int jf = (int) (Math.min(f, end) - s);
                vhi = Math.max(vhi, Math.min(f, end));
                while (vhi < end && corpus.ts(vhi) <= ref + window) {
                    vhi++;
                }
                lab.activity(flat, f < end && corpus.ts(f) <= ref + DAY,
                        f < end && corpus.ts(f) <= ref + window,
                        nextAdd[jf] >= 0 && corpus.ts(nextAdd[jf]) <= ref + window,
                        nextBuy[jf] >= 0 && corpus.ts(nextBuy[jf]) <= ref + window, vhi - Math.min(f, end));
                if (targets != null) {
                    int at = lab.targetRow(targets.size());
                    // the window's buys: follow the next-buy chain from f
                    for (long e = nextBuy[jf]; e >= 0 && corpus.ts(e) <= ref + window;
                            e = nextBuy[(int) (e - s) + 1]) {
                        int n = targets.labelsOf(corpus.item(e), corpus.category(e), corpus.price(e), buyLabels);
                        for (int l = 0; l < n; l++) {
                            lab.target(at, buyLabels[l]);
                        }
                    }
                }
            }
            if (f >= end) {
                continue;
            }
            if (cfg.has(Objective.NEXT_TYPE) || cfg.has(Objective.TIME_GAP)) {
                lab.type(flat, corpus.type(f), gapLabel, TokenLayout.gapBucket(corpus.ts(f) - ref));
            }
            int j = (int) (f - s);
            if (cfg.has(Objective.NEXT_ITEM) && nextProd[j] >= 0) {
                lab.item(flat, skus.indexOf(corpus.item(nextProd[j])));
            }
            if (cfg.has(Objective.NEXT_URL) && nextVisit[j] >= 0) {
                lab.url(flat, urls.indexOf(corpus.item(nextVisit[j])));
            }
            if (cfg.has(Objective.FUTURE_WINDOW)) {
                while (lo < prods.length && prods[lo] < f) {
                    lo++;
                }
                hi = Math.max(hi, lo);
                while (hi < prods.length && corpus.ts(prods[hi]) <= ref + window) {
                    hi++;
                }
                if (hi > lo) {
                    long e = prods[lo + rng.nextInt(hi - lo)];
                    lab.window(flat, skus.indexOf(corpus.item(e)));
                }
            }
        }
    }

    /** Growable label lists of one batch. */
    private final class Labels {
        final LongList typeRows;
        final IntList typeLabels;
        final LongList gapRows;
        final IntList gapLabels;
        final LongList itemRows = new LongList(64);
        final IntList itemLabels = new IntList(64);
        final LongList windowRows = new LongList(64);
        final IntList windowLabels = new IntList(64);
        final LongList urlRows = new LongList(64);
        final IntList urlLabels = new IntList(64);
        final LongList activityRows = new LongList(64);
        final FloatList activityLabels = new FloatList(256);
        final IntList volumeLabels = new IntList(64);
        /** Multi-hot target rows, one per activity row (targets objective only). */
        final FloatList targetLabels = new FloatList(64);

        Labels(int cap) {
            typeRows = new LongList(cap);
            typeLabels = new IntList(cap);
            gapRows = new LongList(cap);
            gapLabels = new IntList(cap);
        }

        void type(long flat, int type, boolean gap, int gapBucket) {
            typeRows.add(flat);
            typeLabels.add(type);
            if (gap) {
                gapRows.add(flat);
                gapLabels.add(gapBucket);
            }
        }

        void item(long flat, int sku) {
            if (sku >= 0) {
                itemRows.add(flat);
                itemLabels.add(sku);
            }
        }

        void window(long flat, int sku) {
            if (sku >= 0) {
                windowRows.add(flat);
                windowLabels.add(sku);
            }
        }

        void activity(long flat, boolean day, boolean any, boolean add, boolean buy, long volume) {
            activityRows.add(flat);
            volumeLabels.add(TokenLayout.countBucket(volume));
            activityLabels.add(day ? 1 : 0);
            activityLabels.add(any ? 1 : 0);
            activityLabels.add(add ? 1 : 0);
            activityLabels.add(buy ? 1 : 0);
        }

        /** Appends a zero row of {@code width} target labels (for the last activity row); returns its offset. */
        int targetRow(int width) {
            return targetLabels.addZeros(width);
        }

        void target(int at, int label) {
            targetLabels.a[at + label] = 1f;
        }

        void url(long flat, int url) {
            if (url >= 0) {
                urlRows.add(flat);
                urlLabels.add(url);
            }
        }

        SeqBatch finish(int b, int time, int[] tokens, int[] codes, int[] rel, long[] last, long real,
                SplittableRandom rng) {
            int cap = cfg.maxRowsPerHead();
            cap(itemRows, itemLabels, cap, rng);
            cap(windowRows, windowLabels, cap, rng);
            cap(urlRows, urlLabels, cap, rng);
            int[] skuFields = null;
            int[] skuCodes = null;
            float[] skuLogQ = null;
            int[] itemLab = null;
            int[] windowLab = null;
            int ni = itemLabels.size;
            int nw = windowLabels.size;
            if (ni + nw > 0) {
                int[] pos = new int[ni + nw];
                System.arraycopy(itemLabels.a, 0, pos, 0, ni);
                System.arraycopy(windowLabels.a, 0, pos, ni, nw);
                SampledSoftmax.Candidates cand = SampledSoftmax.build(pos, skus, cfg.uniformNegatives(), rng);
                itemLab = Arrays.copyOfRange(cand.labels(), 0, ni);
                windowLab = Arrays.copyOfRange(cand.labels(), ni, ni + nw);
                int n = cand.columns().length;
                skuFields = new int[n * TokenLayout.SKU_FIELDS];
                skuCodes = new int[n * TokenLayout.CODES];
                for (int col = 0; col < n; col++) {
                    skuColumn(cand.columns()[col], skuFields, skuCodes, col);
                }
                skuLogQ = cand.logQ();
            }
            int[] urlFields = null;
            float[] urlLogQ = null;
            int[] urlLab = null;
            if (urlLabels.size > 0) {
                SampledSoftmax.Candidates cand = SampledSoftmax.build(urlLabels.toArray(), urls,
                        cfg.uniformNegatives(), rng);
                urlLab = cand.labels();
                int n = cand.columns().length;
                urlFields = new int[n * 2];
                for (int col = 0; col < n; col++) {
                    long id = urls.id(cand.columns()[col]);
                    urlFields[2 * col] = layout.item(ItemHashing.Kind.URL, id, 0);
                    urlFields[2 * col + 1] = layout.item(ItemHashing.Kind.URL, id, 1);
                }
                urlLogQ = cand.logQ();
            }
            return remap(b, time, tokens, codes, rel, last, typeRows.toArray(), typeLabels.toArray(),
                    gapRows.toArray(), gapLabels.toArray(), itemRows.toArray(), itemLab == null ? new int[0] : itemLab,
                    windowRows.toArray(), windowLab == null ? new int[0] : windowLab, skuFields, skuCodes, skuLogQ,
                    urlRows.toArray(), urlLab == null ? new int[0] : urlLab, urlFields, urlLogQ,
                    activityRows.toArray(), activityLabels.toArray(), volumeLabels.toArray(),
                    targets == null ? null : targetLabels.toArray(), real);
        }
    }

    /** Item-tower input of vocabulary sku v at column col. */
    void skuColumn(int v, int[] fields, int[] codes, int col) {
        long id = skus.id(v);
        int o = col * TokenLayout.SKU_FIELDS;
        fields[o] = layout.item(ItemHashing.Kind.SKU, id, 0);
        fields[o + 1] = layout.item(ItemHashing.Kind.SKU, id, 1);
        int cat = skus.category(v);
        fields[o + 2] = cat < 0 ? layout.noneCategory() : layout.item(ItemHashing.Kind.CATEGORY, cat, 0);
        fields[o + 3] = cat < 0 ? layout.noneCategory() : layout.item(ItemHashing.Kind.CATEGORY, cat, 1);
        fields[o + 4] = layout.price(skus.price(v));
        int nc = skus.codeCount(v);
        for (int j = 0; j < TokenLayout.CODES; j++) {
            codes[col * TokenLayout.CODES + j] = layout.code(j, j < nc ? skus.code(v, j) : -1);
        }
    }

    /** Keeps a uniformly random subset of at most cap rows (partial Fisher-Yates, rows stay paired with labels). */
    private static void cap(LongList rows, IntList labels, int cap, SplittableRandom rng) {
        int n = rows.size;
        if (n <= cap) {
            return;
        }
        for (int i = 0; i < cap; i++) {
            int j = i + rng.nextInt(n - i);
            long r = rows.a[i];
            rows.a[i] = rows.a[j];
            rows.a[j] = r;
            int l = labels.a[i];
            labels.a[i] = labels.a[j];
            labels.a[j] = l;
        }
        rows.size = cap;
        labels.size = cap;
    }

    /** A growable long array. */
    static final class LongList {
        long[] a;
        int size;

        LongList(int cap) {
            a = new long[Math.max(cap, 4)];
        }

        void add(long v) {
            if (size == a.length) {
                a = Arrays.copyOf(a, size * 2);
            }
            a[size++] = v;
        }

        long[] toArray() {
            return Arrays.copyOf(a, size);
        }
    }

    /** A growable float array. */
    static final class FloatList {
        float[] a;
        int size;

        FloatList(int cap) {
            a = new float[Math.max(cap, 4)];
        }

        void add(float v) {
            if (size == a.length) {
                a = Arrays.copyOf(a, size * 2);
            }
            a[size++] = v;
        }

        /** Appends n zeros (the array only grows, so slots past size are still zero); returns where they start. */
        int addZeros(int n) {
            if (size + n > a.length) {
                a = Arrays.copyOf(a, Math.max(size + n, size * 2));
            }
            size += n;
            return size - n;
        }

        float[] toArray() {
            return Arrays.copyOf(a, size);
        }
    }

    /** A growable int array. */
    static final class IntList {
        int[] a;
        int size;

        IntList(int cap) {
            a = new int[Math.max(cap, 4)];
        }

        void add(int v) {
            if (size == a.length) {
                a = Arrays.copyOf(a, size * 2);
            }
            a[size++] = v;
        }

        int[] toArray() {
            return Arrays.copyOf(a, size);
        }
    }
}
