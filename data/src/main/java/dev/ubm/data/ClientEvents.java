package dev.ubm.data;

import dev.ubm.core.EventType;

import java.util.Arrays;
import java.util.Objects;

/**
 * One client's events in time order, all types merged, as primitive columns. {@link ClientSequences} reuses one
 * instance for every client, so a callback must copy what it keeps. Product events carry their category, price
 * bucket and name codes from product_properties; search events carry their query codes.
 */
public final class ClientEvents {
    private static final EventType[] TYPES = EventType.values();
    private static final int SEARCH = EventType.SEARCH_QUERY.code();

    private final ProductTable products;
    private long clientId;
    private int start;
    private int end;
    private long[] ts = new long[64];
    private byte[] type = new byte[64];
    private long[] item = new long[64];
    private int[] product = new int[64];
    private int[] codeStart = new int[64];
    private int[] codeLen = new int[64];
    private byte[] codes = new byte[1024];
    private int codesUsed;

    ClientEvents(ProductTable products) {
        this.products = products;
    }

    public long clientId() {
        return clientId;
    }

    public int size() {
        return end - start;
    }

    private int at(int i) {
        return start + Objects.checkIndex(i, end - start);
    }

    /** Epoch seconds, UTC (the challenge timestamps have no zone). */
    public long timestamp(int i) {
        return ts[at(i)];
    }

    public EventType type(int i) {
        return TYPES[type[at(i)]];
    }

    /** The sku of a buy/add/remove event, -1 for other types. */
    public long sku(int i) {
        int k = at(i);
        return TYPES[type[k]].isProductEvent() ? item[k] : -1;
    }

    /** The url of a page visit, -1 for other types. */
    public long url(int i) {
        int k = at(i);
        return type[k] == EventType.PAGE_VISIT.code() ? item[k] : -1;
    }

    /** Category of a product event from product_properties, -1 when none (not a product event, unknown sku). */
    public long category(int i) {
        int p = product[at(i)];
        return p < 0 ? -1 : products.category[p];
    }

    /** Price bucket (0..99) of a product event from product_properties, -1 when none. */
    public int price(int i) {
        int p = product[at(i)];
        return p < 0 ? -1 : products.price[p];
    }

    /** Number of codes: the product name's (product events) or the query's (search), else 0. */
    public int codeCount(int i) {
        int k = at(i);
        if (type[k] == SEARCH) {
            return codeLen[k];
        }
        int p = product[k];
        return p < 0 ? 0 : products.codeCount(p);
    }

    /** Code j (0..255) of event i; see {@link #codeCount}. */
    public int code(int i, int j) {
        int k = at(i);
        int n = codeCount(i);
        Objects.checkIndex(j, n);
        return type[k] == SEARCH ? codes[codeStart[k] + j] & 0xff : products.code(product[k], j);
    }

    @Override
    public String toString() {
        return "ClientEvents[client " + clientId + ", " + size() + " events]";
    }

    // ------------------------------------------------------------------ filling (ClientSequences only)

    void reset(long client) {
        clientId = client;
        start = 0;
        end = 0;
        codesUsed = 0;
    }

    /** Appends an event; {@code query} is the raw code string of a search event (null otherwise). */
    void add(long timestamp, int typeCode, long itemId, String query) {
        if (end == ts.length) {
            int n = ts.length * 2;
            ts = Arrays.copyOf(ts, n);
            type = Arrays.copyOf(type, n);
            item = Arrays.copyOf(item, n);
            product = Arrays.copyOf(product, n);
            codeStart = Arrays.copyOf(codeStart, n);
            codeLen = Arrays.copyOf(codeLen, n);
        }
        int k = end++;
        ts[k] = timestamp;
        type[k] = (byte) typeCode;
        item[k] = itemId;
        product[k] = itemId >= 0 && TYPES[typeCode].isProductEvent() ? products.indexOf(itemId) : -1;
        codeStart[k] = codesUsed;
        codeLen[k] = 0;
        if (typeCode == SEARCH && query != null) {
            int n;
            while ((n = Codes.parse(query, codes, codesUsed)) == -2) {
                codes = Arrays.copyOf(codes, codes.length * 2);
            }
            if (n < 0) {
                end--;
                throw new IllegalArgumentException(query);
            }
            codeLen[k] = n;
            codesUsed += n;
        }
    }

    /** Keeps only the last n events (n = 0: all). */
    void keepLast(int n) {
        if (n > 0 && end - start > n) {
            start = end - n;
        }
    }

    boolean isEmpty() {
        return end == start;
    }
}
