package dev.ubm.encoders.sequence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ubm.core.ChallengeDataDir;
import dev.ubm.core.EventType;
import dev.ubm.core.Progress;
import dev.ubm.core.StageListener;

import java.nio.file.Path;
import java.util.SplittableRandom;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchBuilderTest {
    @TempDir
    static Path tmp;
    static SeqCorpus corpus;
    static SeqConfig cfg;
    static BatchBuilder builder;

    @BeforeAll
    static void world() {
        Progress.setEnabled(false);
        ChallengeDataDir data = TinySeqWorld.write(tmp.resolve("data"), 60, 40, 5);
        cfg = SeqConfig.builder().maxLen(16).historyLen(32).hashBuckets(1024).objectives(
                SeqConfig.parseObjectives("next_item,future_window,next_type,time_gap,next_url,activity")).build();
        corpus = SeqEncoder.loadCorpus(data, tmp.resolve("corpus"), cfg, "fp", StageListener.NONE);
        builder = new BatchBuilder(corpus, ItemVocab.skus(corpus), ItemVocab.urls(corpus), cfg);
    }

    @Test
    void corpusKeepsTheLastEventsOfEveryClientInTimeOrder() {
        assertEquals(60, corpus.clients());
        for (int c = 0; c < corpus.clients(); c++) {
            assertTrue(corpus.end(c) - corpus.start(c) <= cfg.historyLen());
            for (long e = corpus.start(c) + 1; e < corpus.end(c); e++) {
                assertTrue(corpus.ts(e - 1) <= corpus.ts(e));
            }
            assertTrue(corpus.ts(corpus.end(c) - 1) < corpus.cutoff());
        }
        assertEquals(0, corpus.cutoff() % 86_400);
    }

    @Test
    void sequencesAreBosEventsNowRightPadded() {
        int[] clients = {0, 1, 2, -1};
        long[] cut = {corpus.cutoff(), corpus.cutoff(), corpus.cutoff(), corpus.cutoff()};
        SeqBatch b = builder.build(clients, cut, true, new SplittableRandom(1));
        TokenLayout l = builder.layout();
        for (int i = 0; i < clients.length; i++) {
            int bos = i * b.time();
            assertEquals(l.type(TokenLayout.TYPE_BOS), tok(b, bos, 4));
            int now = (int) b.last()[i];
            assertEquals(l.type(TokenLayout.TYPE_NOW), tok(b, now, 4));
            int len = now - bos + 1;
            int expect = clients[i] < 0 ? 2
                    : (int) Math.min(corpus.end(clients[i]) - corpus.start(clients[i]), cfg.maxLen() - 2) + 2;
            assertEquals(expect, len);
            if (clients[i] >= 0) {
                // the token before NOW is the client's last event
                long lastEvent = corpus.end(clients[i]) - 1;
                assertEquals(l.type(corpus.type(lastEvent)), tok(b, now - 1, 4));
            }
        }
        // relative time: NOW -> last event is the gap since the last event; BOS keys have bucket 0
        int t = b.time();
        int now0 = (int) b.last()[0];
        long lastTs = corpus.ts(corpus.end(0) - 1);
        assertEquals(TokenLayout.gapBucket(corpus.cutoff() - lastTs), b.relTime()[now0 * t + now0 - 1]);
        assertEquals(0, b.relTime()[now0 * t]);
        assertEquals(TokenLayout.gapBucket(0), b.relTime()[now0 * t + now0]);
        // the BOS token is the same for everyone (its output is the empty-history vector)
        for (int f = 0; f < TokenLayout.FIELDS; f++) {
            assertEquals(b.tokens()[f], b.tokens()[3 * b.time() * TokenLayout.FIELDS + f]);
        }
    }

    @Test
    void labelsAreTheTrueFutureOfEachPosition() {
        int c = 3;
        long start = corpus.start(c);
        long end = corpus.end(c);
        long cutoff = corpus.ts(start + (end - start) / 2) + 1;
        SeqBatch b = builder.build(new int[] {c}, new long[] {cutoff}, true, new SplittableRandom(2));
        long k = builder.firstAtOrAfter(c, cutoff);
        long s = Math.max(start, k - (cfg.maxLen() - 2));
        for (int i = 0; i < b.typeRows().length; i++) {
            int p = (int) b.typeRows()[i];
            long next = p == 0 ? s : (p == b.last()[0] ? k : s + p);
            assertEquals(corpus.type(next), b.typeLabels()[i], "position " + p);
        }
        // NOW (at a cutoff inside the history) predicts the first event after the cutoff
        assertTrue(contains(b.typeRows(), b.last()[0]));
        // future-window labels are buys/adds within 14 days after the position
        for (int i = 0; i < b.windowRows().length; i++) {
            int p = (int) b.windowRows()[i];
            long ref = p == 0 ? corpus.ts(s) - 1 : (p == b.last()[0] ? cutoff : corpus.ts(s + p - 1));
            int col = b.windowLabels()[i];
            boolean found = false;
            for (long e = (p == 0 ? s : (p == b.last()[0] ? k : s + p)); e < end; e++) {
                if (ItemVocab.isTarget(corpus.type(e)) && corpus.ts(e) > ref - 1 && corpus.ts(e) <= ref + 14 * 86_400L
                        && skuFieldsMatch(b, col, corpus.item(e))) {
                    found = true;
                }
            }
            assertTrue(found, "window label at " + p);
        }
        assertTrue(b.skuColumns() >= 1);
    }

    @Test
    void batchRowsAreTheDistinctTableRowsInOrder() {
        SeqBatch b = builder.build(new int[] {0, 1}, new long[] {corpus.cutoff(), corpus.cutoff()}, true,
                new SplittableRandom(9));
        for (int i = 1; i < b.rows().length; i++) {
            assertTrue(b.rows()[i - 1] < b.rows()[i]);
        }
        java.util.Set<Integer> used = new java.util.HashSet<>();
        for (int v : b.tokens()) {
            used.add(v);
        }
        for (int v : b.codes()) {
            used.add(v);
        }
        for (int v : b.skuFields()) {
            used.add(v);
        }
        for (int v : b.skuCodes()) {
            used.add(v);
        }
        for (int v : b.urlFields()) {
            used.add(v);
        }
        assertEquals(b.rows().length, used.size());
    }

    @Test
    void activityLabelsOnlyWhereTheWholeWindowIsObserved() {
        int c = 4;
        long start = corpus.start(c);
        long cutoff = corpus.ts(start + (corpus.end(c) - start) / 3) + 1;
        SeqBatch b = builder.build(new int[] {c}, new long[] {cutoff}, true, new SplittableRandom(5));
        long k = builder.firstAtOrAfter(c, cutoff);
        long s = Math.max(start, k - (cfg.maxLen() - 2));
        long window = 14 * 86_400L;
        for (int i = 0; i < b.activityRows().length; i++) {
            int p = (int) b.activityRows()[i];
            long ref = p == 0 ? corpus.ts(s) - 1 : (p == b.last()[0] ? cutoff : corpus.ts(s + p - 1));
            long f = p == 0 ? s : (p == b.last()[0] ? k : s + p);
            assertTrue(ref + window <= corpus.cutoff(), "window of position " + p + " runs past the cutoff");
            boolean any = f < corpus.end(c) && corpus.ts(f) <= ref + window;
            boolean buy = false;
            for (long e = f; e < corpus.end(c) && corpus.ts(e) <= ref + window; e++) {
                buy |= corpus.type(e) == EventType.PRODUCT_BUY.code();
            }
            assertEquals(any ? 1f : 0f, b.activityLabels()[4 * i + 1], "any event, position " + p);
            assertEquals(buy ? 1f : 0f, b.activityLabels()[4 * i + 3], "buy, position " + p);
        }
    }

    @Test
    void targetLabelsAreTheListedBuysOfTheObservedWindow() {
        // lists from the corpus itself: half of the bought skus, every bought category, the even price buckets
        java.util.TreeSet<Long> skus = new java.util.TreeSet<>();
        java.util.TreeSet<Long> cats = new java.util.TreeSet<>();
        for (long e = 0; e < corpus.events(); e++) {
            if (corpus.type(e) == EventType.PRODUCT_BUY.code()) {
                skus.add(corpus.item(e));
                cats.add((long) corpus.category(e));
            }
        }
        long[] skuList = skus.stream().filter(v -> v % 2 == 0).mapToLong(Long::longValue).toArray();
        long[] catList = cats.stream().mapToLong(Long::longValue).toArray();
        long[] priceList = java.util.stream.LongStream.range(0, 50).map(v -> 2 * v).toArray();
        TargetLabels targets = new TargetLabels(catList, skuList, priceList);
        assertEquals(catList.length + skuList.length + priceList.length, targets.size());
        SeqConfig tc = cfg.toBuilder().objectives(SeqConfig.parseObjectives("next_item,targets")).build();
        BatchBuilder bb = new BatchBuilder(corpus, ItemVocab.skus(corpus), null, tc, targets);
        long window = 14 * 86_400L;
        int labelled = 0;
        for (int c = 0; c < 12; c++) {
            long start = corpus.start(c);
            long cutoff = corpus.ts(start + (corpus.end(c) - start) / 3) + 1;
            SeqBatch b = bb.build(new int[] {c}, new long[] {cutoff}, true, new SplittableRandom(c));
            long k = bb.firstAtOrAfter(c, cutoff);
            long s = Math.max(start, k - (tc.maxLen() - 2));
            assertEquals(b.activityRows().length * targets.size(), b.targetLabels().length);
            for (int i = 0; i < b.activityRows().length; i++) {
                int p = (int) b.activityRows()[i];
                long ref = p == 0 ? corpus.ts(s) - 1 : (p == b.last()[0] ? cutoff : corpus.ts(s + p - 1));
                long f = p == 0 ? s : (p == b.last()[0] ? k : s + p);
                float[] want = new float[targets.size()];
                for (long e = f; e < corpus.end(c) && corpus.ts(e) <= ref + window; e++) {
                    if (corpus.type(e) == EventType.PRODUCT_BUY.code()) {
                        int ci = java.util.Arrays.binarySearch(catList, corpus.category(e));
                        want[ci] = 1f;
                        int si = java.util.Arrays.binarySearch(skuList, corpus.item(e));
                        if (si >= 0) {
                            want[catList.length + si] = 1f;
                        }
                        if (corpus.price(e) % 2 == 0) {
                            want[catList.length + skuList.length + corpus.price(e) / 2] = 1f;
                        }
                    }
                }
                float[] got = java.util.Arrays.copyOfRange(b.targetLabels(), i * targets.size(),
                        (i + 1) * targets.size());
                org.junit.jupiter.api.Assertions.assertArrayEquals(want, got, "client " + c + ", position " + p);
                for (float v : got) {
                    labelled += v > 0 ? 1 : 0;
                }
            }
        }
        assertTrue(labelled > 0, "no target buy in any window: the test checks nothing");
    }

    @Test
    void targetsObjectiveNeedsTheLists() {
        SeqConfig tc = cfg.toBuilder().objectives(SeqConfig.parseObjectives("next_item,targets")).build();
        BatchBuilder bb = new BatchBuilder(corpus, ItemVocab.skus(corpus), null, tc);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> bb.build(new int[] {0}, new long[] {corpus.cutoff()}, true, new SplittableRandom(1)));
        // inference needs no labels
        assertEquals(1, bb.build(new int[] {0}, new long[] {corpus.cutoff()}, false, null).last().length);
    }

    @Test
    void nowTokenSummarisesTheHistory() {
        int c = 6;
        SeqBatch b = builder.build(new int[] {c}, new long[] {corpus.cutoff()}, false, null);
        int now = (int) b.last()[0];
        int all = (int) b.rows()[b.tokens()[now * TokenLayout.FIELDS + 12]];
        long n = corpus.end(c) - corpus.start(c);
        assertEquals(builder.layout().count(3, TokenLayout.countBucket(n)), all);
        // events carry "none" counts
        int ev = (int) b.rows()[b.tokens()[(now - 1) * TokenLayout.FIELDS + 12]];
        assertEquals(builder.layout().count(3, 0), ev);
    }

    @Test
    void realCutoffLeavesNowWithoutLabels() {
        SeqBatch b = builder.build(new int[] {5}, new long[] {corpus.cutoff()}, true, new SplittableRandom(3));
        assertTrue(!contains(b.typeRows(), b.last()[0]));
        assertTrue(!contains(b.itemRows(), b.last()[0]));
        assertTrue(!contains(b.windowRows(), b.last()[0]));
    }

    @Test
    void headRowsAreCapped() {
        SeqConfig small = cfg.toBuilder().maxRowsPerHead(5).build();
        BatchBuilder bb = new BatchBuilder(corpus, ItemVocab.skus(corpus), ItemVocab.urls(corpus), small);
        int[] all = new int[20];
        long[] cut = new long[20];
        for (int i = 0; i < 20; i++) {
            all[i] = i;
            cut[i] = corpus.cutoff();
        }
        SeqBatch b = bb.build(all, cut, true, new SplittableRandom(4));
        assertTrue(b.itemRows().length <= 5 && b.windowRows().length <= 5 && b.urlRows().length <= 5);
        assertEquals(EventType.values().length, 5);
    }

    private static boolean contains(long[] a, long v) {
        for (long x : a) {
            if (x == v) {
                return true;
            }
        }
        return false;
    }

    private static boolean skuFieldsMatch(SeqBatch b, int col, long sku) {
        TokenLayout l = builder.layout();
        return b.rows()[b.skuFields()[col * TokenLayout.SKU_FIELDS]] == l.item(ItemHashing.Kind.SKU, sku, 0)
                && b.rows()[b.skuFields()[col * TokenLayout.SKU_FIELDS + 1]] == l.item(ItemHashing.Kind.SKU, sku, 1);
    }

    /** The table row of field f of the token at flat position pos (batch indices point into rows). */
    private static int tok(SeqBatch b, int pos, int f) {
        return (int) b.rows()[b.tokens()[pos * TokenLayout.FIELDS + f]];
    }
}
