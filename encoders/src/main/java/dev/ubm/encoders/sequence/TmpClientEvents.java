package dev.ubm.encoders.sequence;

import dev.ubm.core.EventType;

/**
 * TEMPORARY stand-in for {@code dev.ubm.data.ClientEvents} (same methods) until the store helper's class lands in
 * main: one client's time-ordered events, all types merged.
 */
final class TmpClientEvents {
    long clientId;
    int size;
    long[] ts = new long[16];
    byte[] type = new byte[16];
    long[] sku = new long[16];
    long[] url = new long[16];
    long[] cat = new long[16];
    int[] price = new int[16];
    int[] ncodes = new int[16];
    byte[] codes = new byte[16 * TokenLayout.CODES];

    long clientId() {
        return clientId;
    }

    int size() {
        return size;
    }

    long timestamp(int i) {
        return ts[i];
    }

    EventType type(int i) {
        return EventType.ofCode(type[i]);
    }

    long sku(int i) {
        return sku[i];
    }

    long url(int i) {
        return url[i];
    }

    long category(int i) {
        return cat[i];
    }

    int price(int i) {
        return price[i];
    }

    int codeCount(int i) {
        return ncodes[i];
    }

    int code(int i, int j) {
        return codes[i * TokenLayout.CODES + j] & 0xff;
    }

    void clear(long id) {
        clientId = id;
        size = 0;
    }

    int append() {
        if (size == ts.length) {
            int n = size * 2;
            ts = java.util.Arrays.copyOf(ts, n);
            type = java.util.Arrays.copyOf(type, n);
            sku = java.util.Arrays.copyOf(sku, n);
            url = java.util.Arrays.copyOf(url, n);
            cat = java.util.Arrays.copyOf(cat, n);
            price = java.util.Arrays.copyOf(price, n);
            ncodes = java.util.Arrays.copyOf(ncodes, n);
            codes = java.util.Arrays.copyOf(codes, n * TokenLayout.CODES);
        }
        return size++;
    }
}
