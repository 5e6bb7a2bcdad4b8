package dev.ubm.encoders.sequence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class TokenLayoutTest {
    @Test
    void gapBucketsGrowLogarithmicallyAndReserveZero() {
        assertEquals(1, TokenLayout.gapBucket(0));
        assertEquals(3, TokenLayout.gapBucket(1));
        assertTrue(TokenLayout.gapBucket(60) < TokenLayout.gapBucket(3600));
        assertTrue(TokenLayout.gapBucket(3600) < TokenLayout.gapBucket(86_400));
        assertTrue(TokenLayout.gapBucket(86_400) < TokenLayout.gapBucket(14 * 86_400));
        assertEquals(TokenLayout.GAPS - 1, TokenLayout.gapBucket(Long.MAX_VALUE / 2));
        assertEquals(1, TokenLayout.gapBucket(-5));
    }

    @Test
    void gapBucketIsTwoBucketsPerDoubling() {
        for (long s = 0; s < 3_000_000; s += 1 + s / 50) {
            double exact = 2 * Math.log1p(s) / Math.log(2);
            if (Math.abs(exact - Math.rint(exact)) < 1e-9) {
                continue; // exactly on a boundary, floating point decides
            }
            assertEquals(Math.min(1 + (int) Math.floor(exact), TokenLayout.GAPS - 1), TokenLayout.gapBucket(s), "s=" + s);
        }
    }

    @Test
    void hourOfWeekStartsOnMonday() {
        long monday = LocalDateTime.of(2022, 10, 17, 0, 30).toEpochSecond(ZoneOffset.UTC);
        long sunday = LocalDateTime.of(2022, 10, 23, 23, 59).toEpochSecond(ZoneOffset.UTC);
        assertEquals(1, TokenLayout.towBucket(monday));
        assertEquals(168, TokenLayout.towBucket(sunday));
    }

    @Test
    void fixedRowsFollowTheHashedRowsWithoutOverlap() {
        TokenLayout l = new TokenLayout(1024);
        Set<Integer> rows = new HashSet<>();
        rows.add(l.noneItem());
        rows.add(l.noneCategory());
        for (int t = 0; t < TokenLayout.TYPES; t++) {
            rows.add(l.type(t));
        }
        for (int p = -1; p < 100; p++) {
            rows.add(l.price(p));
        }
        for (int g = 0; g < TokenLayout.GAPS; g++) {
            rows.add(l.gap(g));
        }
        for (int w = 0; w < TokenLayout.TOWS; w++) {
            rows.add(l.tow(w));
        }
        for (int a = 0; a < TokenLayout.AGES; a++) {
            rows.add(l.age(a));
        }
        for (int f = 0; f < TokenLayout.COUNT_FIELDS; f++) {
            for (int n = 0; n < TokenLayout.COUNTS; n++) {
                rows.add(l.count(f, n));
            }
        }
        for (int j = 0; j < TokenLayout.CODES; j++) {
            for (int c = -1; c < 256; c++) {
                rows.add(l.code(j, c));
            }
        }
        assertEquals(l.rows() - 1024, rows.size());
        assertTrue(rows.stream().allMatch(r -> r >= 1024 && r < l.rows()));
        assertEquals(l.price(99), l.price(250));
    }
}
