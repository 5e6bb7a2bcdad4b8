package dev.ubm.encoders.sequence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ItemHashingTest {
    @Test
    void bucketsAreStableAcrossRunsAndMachines() {
        // golden values: changing the hash functions silently invalidates every trained table
        assertEquals(GOLDEN_SKU_0, ItemHashing.bucket(ItemHashing.Kind.SKU, 123_456L, 0, 1 << 16));
        assertEquals(GOLDEN_SKU_1, ItemHashing.bucket(ItemHashing.Kind.SKU, 123_456L, 1, 1 << 16));
        assertEquals(GOLDEN_URL_0, ItemHashing.bucket(ItemHashing.Kind.URL, 123_456L, 0, 1 << 16));
        assertEquals(GOLDEN_QUERY, ItemHashing.queryId(new byte[] {1, 2, 3}, 0, 3));
    }

    static final int GOLDEN_SKU_0 = 22448;
    static final int GOLDEN_SKU_1 = 59171;
    static final int GOLDEN_URL_0 = 56062;
    static final long GOLDEN_QUERY = -3410805910829992536L;

    @Test
    void bucketsStayInRangeForAnyId() {
        for (long id : new long[] {0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE, 1_471_628L}) {
            for (int fn = 0; fn < 2; fn++) {
                int b = ItemHashing.bucket(ItemHashing.Kind.CATEGORY, id, fn, 1000);
                assertTrue(b >= 0 && b < 1000, "bucket " + b);
            }
        }
    }

    @Test
    void theTwoFunctionsAndTheKindsDisagree() {
        int same = 0;
        int sameKind = 0;
        for (long id = 0; id < 10_000; id++) {
            if (ItemHashing.bucket(ItemHashing.Kind.SKU, id, 0, 1 << 16)
                    == ItemHashing.bucket(ItemHashing.Kind.SKU, id, 1, 1 << 16)) {
                same++;
            }
            if (ItemHashing.bucket(ItemHashing.Kind.SKU, id, 0, 1 << 16)
                    == ItemHashing.bucket(ItemHashing.Kind.URL, id, 0, 1 << 16)) {
                sameKind++;
            }
        }
        assertTrue(same < 10, "fn0 == fn1 for " + same + " ids");
        assertTrue(sameKind < 10, "sku == url bucket for " + sameKind + " ids");
    }

    @Test
    void bucketsSpreadEvenly() {
        int[] hist = new int[16];
        for (long id = 0; id < 16_000; id++) {
            hist[ItemHashing.bucket(ItemHashing.Kind.SKU, id, 0, 16)]++;
        }
        for (int h : hist) {
            assertTrue(h > 800 && h < 1200, "uneven: " + java.util.Arrays.toString(hist));
        }
    }

    @Test
    void queryIdDependsOnEveryCode() {
        byte[] a = {1, 2, 3, 4};
        byte[] b = {1, 2, 3, 5};
        assertNotEquals(ItemHashing.queryId(a, 0, 4), ItemHashing.queryId(b, 0, 4));
        assertNotEquals(ItemHashing.queryId(a, 0, 3), ItemHashing.queryId(a, 0, 4));
    }
}
