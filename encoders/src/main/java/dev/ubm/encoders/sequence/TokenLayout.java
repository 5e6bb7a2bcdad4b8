package dev.ubm.encoders.sequence;

import dev.ubm.core.EventType;

/**
 * Row layout of the one embedding table every token field reads from: {@code hashBuckets} hashed rows shared by
 * skus, urls, queries and categories, then fixed rows for "no item", "no category", the event types (plus BOS and
 * NOW), price buckets, log time-gap buckets, hour of week, product-age buckets and the 16 x 256 name/query codes.
 * One table means one lookup per batch. Also the bucketing functions for time gaps, time of week and prices.
 */
public final class TokenLayout {
    /** Codes per product name or query (the challenge's quantised text embeddings). */
    public static final int CODES = 16;
    /** Values per code. */
    public static final int CODE_VALUES = 256;
    /** Event types, then the two special tokens. */
    public static final int TYPE_BOS = EventType.values().length;
    public static final int TYPE_NOW = TYPE_BOS + 1;
    public static final int TYPES = TYPE_NOW + 1;
    /** Price buckets 0..99 plus "none". */
    public static final int PRICES = 101;
    /** Log time-gap buckets; bucket 0 means "no previous event". */
    public static final int GAPS = 64;
    /** Hours of the week plus "none". */
    public static final int TOWS = 169;
    /** Log buckets of an item's age (time since the sku or url was first seen) plus "none" (bucket 0). */
    public static final int AGES = 64;
    /** Log buckets of an event count plus "none" (bucket 0), per count field. */
    public static final int COUNTS = 32;
    /**
     * Count fields of the NOW token (history summary before the cutoff): events in the last 1, 7, 30 days (from
     * the kept events: a lower bound for the heaviest clients), all events, buys and adds before the cutoff (exact,
     * from the corpus totals). Other tokens carry "none".
     */
    public static final int COUNT_FIELDS = 6;
    /**
     * Hashed/fixed indices per token before the codes: item x2, category x2, type, price, gap, hour of week,
     * product age, then the {@link #COUNT_FIELDS} counts.
     */
    public static final int FIELDS = 9 + COUNT_FIELDS;
    /** Indices per candidate sku in the item tower: item x2, category x2, price, then the codes. */
    public static final int SKU_FIELDS = 5;

    private final int hashBuckets;
    private final int noneItem;
    private final int noneCat;
    private final int typeBase;
    private final int priceBase;
    private final int gapBase;
    private final int towBase;
    private final int ageBase;
    private final int countBase;
    private final int codeBase;
    private final int rows;

    public TokenLayout(int hashBuckets) {
        if (hashBuckets < 16) {
            throw new IllegalArgumentException("hashBuckets must be >= 16");
        }
        this.hashBuckets = hashBuckets;
        noneItem = hashBuckets;
        noneCat = noneItem + 1;
        typeBase = noneCat + 1;
        priceBase = typeBase + TYPES;
        gapBase = priceBase + PRICES;
        towBase = gapBase + GAPS;
        ageBase = towBase + TOWS;
        countBase = ageBase + AGES;
        codeBase = countBase + COUNT_FIELDS * COUNTS;
        rows = codeBase + CODES * (CODE_VALUES + 1);
    }

    public int hashBuckets() {
        return hashBuckets;
    }

    /** Total rows of the table. */
    public int rows() {
        return rows;
    }

    public int noneItem() {
        return noneItem;
    }

    public int noneCategory() {
        return noneCat;
    }

    public int type(int type) {
        return typeBase + type;
    }

    /** Row of a price bucket (0..99, clamped), or the "none" row for a negative price. */
    public int price(int price) {
        return priceBase + (price < 0 ? 0 : 1 + Math.min(price, PRICES - 2));
    }

    public int gap(int bucket) {
        return gapBase + bucket;
    }

    public int tow(int bucket) {
        return towBase + bucket;
    }

    /** Row of count field {@code field} (0..5) in bucket {@code bucket} (0 = none, see {@link #countBucket}). */
    public int count(int field, int bucket) {
        return countBase + field * COUNTS + bucket;
    }

    /** {@code 1 + floor(2 log2(1 + n))}, capped: two buckets per doubling of a count. */
    public static int countBucket(long n) {
        return Math.min(gapBucket(n), COUNTS - 1);
    }

    /** Row of a product-age bucket (0 = none; else {@link #gapBucket} of the seconds since first seen). */
    public int age(int bucket) {
        return ageBase + bucket;
    }

    /** Row of code value {@code value} (0..255) at code position {@code j}; value -1 is that position's "none". */
    public int code(int j, int value) {
        return codeBase + j * (CODE_VALUES + 1) + (value < 0 ? CODE_VALUES : value);
    }

    public int item(ItemHashing.Kind kind, long id, int fn) {
        return ItemHashing.bucket(kind, id, fn, hashBuckets);
    }

    /**
     * Log bucket of a positive time gap in seconds: {@code 1 + floor(2 log2(1 + s))}, capped; two buckets per
     * doubling, from one second to years. 0 is reserved for "no previous event".
     */
    public static int gapBucket(long seconds) {
        if (seconds < 0) {
            seconds = 0;
        }
        if (seconds >= (1L << 40)) {
            return GAPS - 1;
        }
        // floor(2 log2(x)) for x = 1 + s, in integer arithmetic: 2 floor(log2 x) + [x >= sqrt(2) 2^floor(log2 x)]
        long x = seconds + 1;
        int lg = 63 - Long.numberOfLeadingZeros(x);
        int b = 1 + 2 * lg + (x >= SQRT2 * (1L << lg) ? 1 : 0);
        return Math.min(b, GAPS - 1);
    }

    private static final double SQRT2 = Math.sqrt(2);

    /** Hour of the week 1..168 (Monday 00h = 1) of an epoch second; 0 is "none". */
    public static int towBucket(long epochSecond) {
        long days = Math.floorDiv(epochSecond, 86_400L);
        int dow = (int) Math.floorMod(days + 3, 7L); // 1970-01-01 was a Thursday
        int hour = (int) (Math.floorMod(epochSecond, 86_400L) / 3600);
        return 1 + dow * 24 + hour;
    }
}
