package dev.ubm.encoders.sequence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ubm.core.ChallengeDataDir;
import dev.ubm.core.StageListener;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EpochPlanTest {
    @TempDir
    Path tmp;

    private static Set<Integer> planned(EpochPlan plan) {
        Set<Integer> s = new HashSet<>();
        int n = 0;
        for (int[] batch : plan.clients) {
            for (int c : batch) {
                s.add(c);
                n++;
            }
        }
        assertEquals(n, s.size(), "a client is planned twice in one epoch");
        return s;
    }

    @Test
    void everyCorpusClientIsPlannedOncePerEpochByDefault() {
        ChallengeDataDir data = TinySeqWorld.write(tmp.resolve("data"), 60, 30, 5);
        SeqConfig cfg = SeqConfig.builder().dim(16).heads(2).maxLen(16).historyLen(32).hashBuckets(1024).build();
        SeqCorpus corpus = SeqEncoder.loadCorpus(data, tmp.resolve("corpus"), cfg, "fp", StageListener.NONE);
        BatchBuilder builder = new BatchBuilder(corpus, ItemVocab.skus(corpus), null, cfg);
        assertEquals(corpus.clients(), planned(EpochPlan.of(corpus, builder, cfg, EpochPlan.rng(1, 0))).size());
    }

    @Test
    void trainClientsSamplesThatManyClientsAFreshSampleEachEpoch() {
        ChallengeDataDir data = TinySeqWorld.write(tmp.resolve("data"), 60, 30, 5);
        SeqConfig cfg = SeqConfig.builder().dim(16).heads(2).maxLen(16).historyLen(32).hashBuckets(1024)
                .trainClients(10).build();
        SeqCorpus corpus = SeqEncoder.loadCorpus(data, tmp.resolve("corpus"), cfg, "fp", StageListener.NONE);
        assertTrue(corpus.clients() > 20, "the tiny world has " + corpus.clients() + " clients");
        BatchBuilder builder = new BatchBuilder(corpus, ItemVocab.skus(corpus), null, cfg);
        Set<Integer> e0 = planned(EpochPlan.of(corpus, builder, cfg, EpochPlan.rng(1, 0)));
        Set<Integer> e1 = planned(EpochPlan.of(corpus, builder, cfg, EpochPlan.rng(1, 1)));
        assertEquals(10, e0.size());
        assertEquals(10, e1.size());
        assertNotEquals(e0, e1, "each epoch draws its own sample");
        assertEquals(e0, planned(EpochPlan.of(corpus, builder, cfg, EpochPlan.rng(1, 0))), "fixed by (seed, epoch)");
    }
}
