package dev.ubm.encoders.sequence;

import dev.ubm.core.EventType;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The candidate items of a sampled-softmax head (skus or urls), as sorted ids with how often each occurs as a
 * target (for logQ) and, for skus, the side information the item tower embeds (category, price, name codes).
 * Built in one pass over the corpus; about 30 bytes per sku.
 */
final class ItemVocab {
    private final ItemHashing.Kind kind;
    private final long[] ids;
    private final long[] counts;
    private final long total;
    private final int[] category;
    private final byte[] price;
    private final byte[] codes;
    private final byte[] codeCount;

    private ItemVocab(ItemHashing.Kind kind, long[] ids, long[] counts, int[] category, byte[] price, byte[] codes,
            byte[] codeCount) {
        this.kind = kind;
        this.ids = ids;
        this.counts = counts;
        this.category = category;
        this.price = price;
        this.codes = codes;
        this.codeCount = codeCount;
        long t = 0;
        for (long c : counts) {
            t += c;
        }
        this.total = t;
    }

    /** Skus of product events (buy, add, remove); counts = buys + adds (the targets of the sku heads). */
    static ItemVocab skus(SeqCorpus corpus) {
        LongIntMap map = new LongIntMap(1 << 16);
        long[] cnt = new long[1 << 16];
        int[] cat = new int[1 << 16];
        byte[] pr = new byte[1 << 16];
        byte[] cd = new byte[(1 << 16) * TokenLayout.CODES];
        byte[] nc = new byte[1 << 16];
        long n = corpus.events();
        for (long e = 0; e < n; e++) {
            int t = corpus.type(e);
            if (!EventType.ofCode(t).isProductEvent()) {
                continue;
            }
            long id = corpus.item(e);
            int k = map.putIfAbsent(id);
            if (k == cnt.length) {
                int cap = k * 2;
                cnt = Arrays.copyOf(cnt, cap);
                cat = Arrays.copyOf(cat, cap);
                pr = Arrays.copyOf(pr, cap);
                cd = Arrays.copyOf(cd, cap * TokenLayout.CODES);
                nc = Arrays.copyOf(nc, cap);
            }
            if (isTarget(t)) {
                cnt[k]++;
            }
            cat[k] = corpus.category(e);
            pr[k] = (byte) corpus.price(e);
            nc[k] = (byte) corpus.codeCount(e);
            for (int j = 0; j < TokenLayout.CODES; j++) {
                cd[k * TokenLayout.CODES + j] = (byte) corpus.code(e, j);
            }
        }
        return sorted(ItemHashing.Kind.SKU, map, cnt, cat, pr, cd, nc);
    }

    /** Urls of page visits with their visit counts. */
    static ItemVocab urls(SeqCorpus corpus) {
        LongIntMap map = new LongIntMap(1 << 16);
        long[] cnt = new long[1 << 16];
        long n = corpus.events();
        int visit = EventType.PAGE_VISIT.code();
        for (long e = 0; e < n; e++) {
            if (corpus.type(e) != visit) {
                continue;
            }
            int k = map.putIfAbsent(corpus.item(e));
            if (k == cnt.length) {
                cnt = Arrays.copyOf(cnt, k * 2);
            }
            cnt[k]++;
        }
        return sorted(ItemHashing.Kind.URL, map, cnt, null, null, null, null);
    }

    /** A vocabulary from sorted ids and counts, without side information (tests, url-like vocabularies). */
    static ItemVocab ofCounts(ItemHashing.Kind kind, long[] sortedIds, long[] counts) {
        int n = sortedIds.length;
        return new ItemVocab(kind, sortedIds.clone(), counts.clone(), new int[n], new byte[n],
                new byte[n * TokenLayout.CODES], new byte[n]);
    }

    /** Buys and adds to cart are what the sku heads predict. */
    static boolean isTarget(int type) {
        return type == EventType.PRODUCT_BUY.code() || type == EventType.ADD_TO_CART.code();
    }

    private static ItemVocab sorted(ItemHashing.Kind kind, LongIntMap map, long[] cnt, int[] cat, byte[] pr,
            byte[] cd, byte[] nc) {
        int n = map.size();
        long[] keys = new long[n];
        KeyCollector kc = new KeyCollector(n);
        map.forEach(kc);
        for (int i = 0; i < n; i++) {
            keys[i] = kc.keys[i];
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Long.compare(keys[a], keys[b]));
        long[] ids = new long[n];
        long[] counts = new long[n];
        int[] category = cat == null ? null : new int[n];
        byte[] price = pr == null ? null : new byte[n];
        byte[] codes = cd == null ? null : new byte[n * TokenLayout.CODES];
        byte[] codeCount = nc == null ? null : new byte[n];
        for (int r = 0; r < n; r++) {
            int k = order[r];
            ids[r] = keys[k];
            counts[r] = cnt[k];
            if (cat != null) {
                category[r] = cat[k];
                price[r] = pr[k];
                codeCount[r] = nc[k];
                System.arraycopy(cd, k * TokenLayout.CODES, codes, r * TokenLayout.CODES, TokenLayout.CODES);
            }
        }
        return new ItemVocab(kind, ids, counts, category, price, codes, codeCount);
    }

    /** Collects keys by dense id. */
    private static final class KeyCollector implements LongIntMap.Visitor {
        final long[] keys;

        KeyCollector(int n) {
            keys = new long[n];
        }

        @Override
        public void visit(long key, int id) {
            keys[id] = key;
        }
    }

    ItemHashing.Kind kind() {
        return kind;
    }

    int size() {
        return ids.length;
    }

    long id(int i) {
        return ids[i];
    }

    /** Index of an id, or -1. */
    int indexOf(long id) {
        int i = Arrays.binarySearch(ids, id);
        return i >= 0 ? i : -1;
    }

    long count(int i) {
        return counts[i];
    }

    long totalCount() {
        return total;
    }

    int category(int i) {
        return category[i];
    }

    int price(int i) {
        return price[i];
    }

    int codeCount(int i) {
        return codeCount[i];
    }

    int code(int i, int j) {
        return codes[i * TokenLayout.CODES + j] & 0xff;
    }

    /** A uniformly random index. */
    int sample(SplittableRandom rng) {
        return rng.nextInt(ids.length);
    }

    /** Target frequency of item i: count / total (0 when nothing was counted). */
    double frequency(int i) {
        return total == 0 ? 0 : counts[i] / (double) total;
    }
}
