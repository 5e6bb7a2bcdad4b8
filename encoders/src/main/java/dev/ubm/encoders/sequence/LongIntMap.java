package dev.ubm.encoders.sequence;

import java.util.Arrays;

/** An open-addressing map from long keys to dense int ids 0..size-1 (no boxing; millions of ids fit cheaply). */
final class LongIntMap {
    private long[] keys;
    private int[] vals;
    private boolean[] used;
    private int size;
    private int mask;

    LongIntMap(int expected) {
        int cap = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        keys = new long[cap];
        vals = new int[cap];
        used = new boolean[cap];
        mask = cap - 1;
    }

    int size() {
        return size;
    }

    /** The id of key, or -1. */
    int get(long key) {
        int i = slot(key);
        while (used[i]) {
            if (keys[i] == key) {
                return vals[i];
            }
            i = (i + 1) & mask;
        }
        return -1;
    }

    /** The id of key, adding it with the next id when new. */
    int putIfAbsent(long key) {
        if (size * 2 >= keys.length) {
            grow();
        }
        int i = slot(key);
        while (used[i]) {
            if (keys[i] == key) {
                return vals[i];
            }
            i = (i + 1) & mask;
        }
        used[i] = true;
        keys[i] = key;
        vals[i] = size;
        return size++;
    }

    /** Receives every (key, id) pair. */
    interface Visitor {
        void visit(long key, int id);
    }

    void forEach(Visitor v) {
        for (int i = 0; i < keys.length; i++) {
            if (used[i]) {
                v.visit(keys[i], vals[i]);
            }
        }
    }

    void clear() {
        if (size > 0) {
            Arrays.fill(used, false);
            size = 0;
        }
    }

    private int slot(long key) {
        return (int) (ItemHashing.mix(key) & mask);
    }

    private void grow() {
        long[] ok = keys;
        int[] ov = vals;
        boolean[] ou = used;
        keys = new long[ok.length * 2];
        vals = new int[ok.length * 2];
        used = new boolean[ok.length * 2];
        mask = keys.length - 1;
        for (int j = 0; j < ok.length; j++) {
            if (ou[j]) {
                int i = slot(ok[j]);
                while (used[i]) {
                    i = (i + 1) & mask;
                }
                used[i] = true;
                keys[i] = ok[j];
                vals[i] = ov[j];
            }
        }
    }
}
