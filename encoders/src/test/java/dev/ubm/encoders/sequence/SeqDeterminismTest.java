package dev.ubm.encoders.sequence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;

import dev.ubm.core.ChallengeDataDir;
import dev.ubm.core.Progress;
import dev.ubm.core.StageListener;
import dev.ubm.nn.AdamW;
import dev.ubm.nn.Engines;
import dev.ubm.nn.LazyAdamTable;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two identical trainings give bit-identical losses. Guards against DJL scalar ops ({@code x.mul(2f)},
 * {@code maximum(0f)}) whose Java-buffer scalars are freed before autograd's backward reads them: a thread forcing
 * garbage collections during training makes such a use-after-free show up as differing losses.
 */
@Tag("torch")
class SeqDeterminismTest {

    @TempDir
    Path tmp;

    @Test
    void identicalTrainingsGiveBitIdenticalLosses() throws Exception {
        Progress.setEnabled(false);
        ChallengeDataDir data = TinySeqWorld.write(tmp.resolve("data"), 60, 30, 5);
        SeqConfig cfg = SeqConfig.builder().dim(16).layers(2).heads(2).maxLen(16).historyLen(32).hashBuckets(1024)
                .hashDim(8).epochs(1).batchSize(4).warmupSteps(2).uniformNegatives(32).lr(1e-2f).build();
        String fp = data.inputFingerprint();
        SeqCorpus corpus = SeqEncoder.loadCorpus(data, tmp.resolve("corpus"), cfg, fp, StageListener.NONE);
        ItemVocab skus = ItemVocab.skus(corpus);
        BatchBuilder builder = new BatchBuilder(corpus, skus, null, cfg);
        AtomicBoolean stop = new AtomicBoolean();
        Thread gc = new Thread(() -> {
            while (!stop.get()) {
                System.gc();
                try {
                    Thread.sleep(3);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        gc.setDaemon(true);
        gc.start();
        try {
            float[] a = losses(cfg, corpus, builder, tmp.resolve("a"));
            float[] b = losses(cfg, corpus, builder, tmp.resolve("b"));
            int perStep = 1 + cfg.objectives().size();
            assertTrue(a.length >= 8 * perStep, "steps " + a.length / perStep);
            assertArrayEquals(a, b);
        } finally {
            stop.set(true);
            gc.join();
        }
    }

    /** Every step's [total, parts...] of one epoch, flattened. */
    private static float[] losses(SeqConfig cfg, SeqCorpus corpus, BatchBuilder builder, Path work) {
        List<Float> out = new ArrayList<>();
        try (NDManager manager = Engines.newManager(Engines.device())) {
            Engines.seed(7);
            SeqModel model = new SeqModel(cfg);
            model.init(manager);
            SeqTrainer trainer = new SeqTrainer(cfg, 7, corpus, builder, work, work, Map.of());
            AdamW opt = SeqTrainer.newDenseOptimizer(cfg, model, manager);
            LazyAdamTable tableOpt = SeqTrainer.newTableOptimizer(cfg, model, manager);
            ParameterStore ps = new ParameterStore(manager, false);
            for (int e = 0; e < 1; e++) {
                SplittableRandom rng = EpochPlan.rng(7, e);
                EpochPlan plan = EpochPlan.of(corpus, builder, cfg, rng);
                Engines.seed(100 + e);
                for (int bi = 0; bi < plan.batches(); bi++) {
                    SeqBatch batch = builder.build(plan.clients[bi], plan.cutoffs[bi], true, rng);
                    for (float v : trainer.step(model, ps, manager, opt, tableOpt, batch, cfg.lr())) {
                        out.add(v);
                    }
                }
            }
        }
        float[] r = new float[out.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = out.get(i);
        }
        return r;
    }
}
