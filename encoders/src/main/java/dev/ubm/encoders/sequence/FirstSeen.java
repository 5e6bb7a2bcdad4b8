package dev.ubm.encoders.sequence;

import dev.ubm.core.EventType;

import java.util.Arrays;

/**
 * When each sku and url was first seen in the corpus, for the tokens' product-age field (how new a product or page
 * is when a client meets it: novelty seeking shows as visiting and buying what was just released). Kept per hash
 * bucket in one int array (16 MB), so twelve million urls cost no map; colliding ids share the older date.
 */
final class FirstSeen {
    private static final int BUCKETS = 1 << 22;
    private final int[] first = new int[BUCKETS];
    private final long base;

    private FirstSeen(long base) {
        this.base = base;
        Arrays.fill(first, Integer.MAX_VALUE);
    }

    static FirstSeen of(SeqCorpus corpus) {
        FirstSeen f = new FirstSeen(corpus.cutoff() - (1L << 31) + 1);
        long n = corpus.events();
        for (long e = 0; e < n; e++) {
            int b = f.bucket(corpus.type(e), corpus.item(e));
            if (b >= 0) {
                f.first[b] = (int) Math.min(f.first[b], corpus.ts(e) - f.base);
            }
        }
        return f;
    }

    /** Bucket of a sku or url event's item, -1 for searches. */
    private int bucket(int type, long item) {
        EventType t = EventType.ofCode(type);
        return switch (t.itemKind()) {
            case SKU -> ItemHashing.bucket(ItemHashing.Kind.SKU, item, 0, BUCKETS);
            case URL -> ItemHashing.bucket(ItemHashing.Kind.URL, item, 0, BUCKETS);
            case QUERY -> -1;
        };
    }

    /** Seconds since the event's item was first seen (>= 0), or -1 for searches. */
    long age(int type, long item, long ts) {
        int b = bucket(type, item);
        return b < 0 || first[b] == Integer.MAX_VALUE ? -1 : Math.max(0, ts - (base + first[b]));
    }
}
