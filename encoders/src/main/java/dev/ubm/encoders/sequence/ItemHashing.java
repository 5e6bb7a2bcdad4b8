package dev.ubm.encoders.sequence;

/**
 * Two hash functions that map ids (skus, urls, queries, categories) into one shared embedding table, so
 * vocabularies of millions fit in a fixed table: an id's embedding is the concatenation of the rows its two hashes
 * pick, and two ids rarely collide on both. Each id kind has its own salt, so sku 7 and url 7 land apart. The
 * functions are fixed (splitmix64 finalizer), so a trained table stays valid across runs and machines.
 */
public final class ItemHashing {
    /** What an id names; each kind hashes with its own salts. */
    public enum Kind {
        SKU(0x5bd1e9955bd1e995L), URL(0x27d4eb2f165667c5L), QUERY(0x165667b19e3779f9L),
        CATEGORY(0x85ebca77c2b2ae63L);

        private final long salt;

        Kind(long salt) {
            this.salt = salt;
        }
    }

    private static final long[] FUNCTION_SEEDS = {0x9e3779b97f4a7c15L, 0xc2b2ae3d27d4eb4fL};

    private ItemHashing() {
    }

    /** Bucket in {@code [0, buckets)} of {@code id} under hash function {@code fn} (0 or 1). */
    public static int bucket(Kind kind, long id, int fn, int buckets) {
        if (buckets <= 0) {
            throw new IllegalArgumentException("buckets must be > 0");
        }
        long h = mix(id ^ kind.salt ^ FUNCTION_SEEDS[fn]);
        h = mix(h + FUNCTION_SEEDS[fn]);
        return (int) Long.remainderUnsigned(h, buckets);
    }

    /** A 64-bit id for a search query, from its codes (FNV-1a over the code bytes); queries carry no id. */
    public static long queryId(byte[] codes, int offset, int count) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < count; i++) {
            h ^= codes[offset + i] & 0xff;
            h *= 0x100000001b3L;
        }
        return h ^ count;
    }

    /** splitmix64's finalizer: a bijective 64-bit mixer. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
