package dev.ubm.gnn;

import dev.ubm.core.Progress;
import dev.ubm.core.UnexpectedStateException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Trains TwHIN embeddings on a {@link Graph}: score f(s,r,t) = (θ_s + r_rel)·θ_t, logistic loss with label 1 for
 * sampled edges and label 0 for in-batch and uniform negatives, row-wise Adagrad, several threads updating one
 * shared table without locks (Hogwild). Each chunk is PyTorch-BigGraph style: positives of one relation are drawn
 * in proportion to their weight and share one set of negatives per side (in-batch and uniform), so the scores are a
 * small dense product and every row of the chunk gets its gradient added back once.
 * The hot loop allocates nothing. With a checkpoint dir, every epoch is saved and a rerun resumes after the last
 * saved epoch; with one thread a run is bit-for-bit reproducible, interrupted or not.
 */
public final class TwhinTrainer {

    private final TwhinConfig cfg;
    private final Consumer<String> log;

    public TwhinTrainer(TwhinConfig cfg, Consumer<String> log) {
        this.cfg = cfg;
        this.log = log == null ? s -> { } : log;
    }

    /** Trains without checkpoints. */
    public TwhinModel train(Graph g) {
        return train(g, null, null);
    }

    /**
     * Trains, resuming from {@code checkpointDir} when it holds a checkpoint of the same graph and config.
     *
     * @param checkpointDir where epochs are saved (null: no checkpoints; a mapped table then uses a temp file)
     * @param listener      called after each epoch (may be null)
     */
    public TwhinModel train(Graph g, Path checkpointDir, EpochListener listener) {
        int d = cfg.dim();
        int nodes = g.totalNodes();
        Relation[] rels = Relation.values();
        long[][] edges = new long[rels.length][];
        double[] relShare = new double[rels.length];
        long edgesPerEpoch = 0;
        for (Relation r : rels) {
            EdgeList l = g.edges(r);
            if (l.size() == 0 || cfg.relationWeight(r) == 0 || g.nodes(r.source()) == 0 || g.nodes(r.target()) == 0) {
                continue;
            }
            float[] w = l.weight();
            TwhinConfig.WeightTransform tf = cfg.weightTransform();
            double sum = 0;
            for (float x : w) {
                sum += tf.apply(x);
            }
            if (!(sum > 0)) {
                continue;
            }
            edges[r.ordinal()] = new AliasSampler(l.size(), i -> tf.apply(w[i])).withPayload(pack(l));
            relShare[r.ordinal()] = sum * cfg.relationWeight(r);
            edgesPerEpoch += l.size();
        }
        if (edgesPerEpoch == 0) {
            throw new UnexpectedStateException("the graph has no edge to train on (" + g.summary() + ")");
        }
        AliasSampler relSampler = new AliasSampler(relShare);
        String key = g.fingerprint() + "|" + cfg.resumeKey();
        Checkpoint ckpt = checkpointDir == null ? null : new Checkpoint(checkpointDir);

        Path scratch = checkpointDir != null ? checkpointDir.resolve("table.scratch")
                : Path.of(System.getProperty("java.io.tmpdir"), "ubm-twhin-" + ProcessHandle.current().pid() + "-"
                        + System.nanoTime() + ".scratch");
        FloatTable table = switch (cfg.storage()) {
            case HEAP -> FloatTable.heap(nodes, d);
            case MMAP -> FloatTable.mapped(nodes, d, scratch);
            case AUTO -> FloatTable.auto(nodes, d, scratch);
        };
        try {
            float[] acc = new float[nodes];
            float[] rel = new float[rels.length * d];
            float[] relAcc = new float[rels.length];
            List<Double> losses = new ArrayList<>();
            int start = 0;
            Checkpoint.Loaded loaded = ckpt == null ? null : ckpt.load(key, table, acc, rel, relAcc, log);
            if (loaded != null) {
                start = loaded.epochsDone();
                losses.addAll(loaded.losses());
                log.accept("twhin: resumed after epoch " + start + " from " + checkpointDir);
            } else {
                initialise(table);
            }
            log.accept(String.format(Locale.ROOT, "twhin: %d nodes x %d dims (%s, %.2f GiB), %d edges per epoch, "
                    + "%d threads", nodes, d, table.isMapped() ? "memory-mapped" : "heap", 4.0 * nodes * d / (1L << 30),
                    edgesPerEpoch, cfg.threads()));
            int chunk = cfg.chunk();
            long batches = (edgesPerEpoch + chunk - 1) / chunk;
            int epochsLeft = Math.max(0, cfg.epochs() - start);
            try (Progress progress = new Progress("twhin", batches * chunk * epochsLeft, "edges")) {
                for (int epoch = start; epoch < cfg.epochs(); epoch++) {
                    double loss = runEpoch(g, table, acc, rel, relAcc, edges, relSampler, epoch,
                            batches, progress);
                    losses.add(loss);
                    progress.status(String.format(Locale.ROOT, "epoch %d/%d loss %.4f", epoch + 1, cfg.epochs(), loss));
                    if (ckpt != null) {
                        ckpt.save(epoch + 1, key, losses, table, acc, rel, relAcc);
                    }
                    if (listener != null) {
                        listener.onEpoch(epoch, loss);
                    }
                }
            }
            log.accept("twhin: epoch losses " + format(losses));
            return new TwhinModel(g, table, rel, losses);
        } catch (RuntimeException | Error e) {
            table.close();
            throw e;
        }
    }

    /** Edge e as (source << 32 | target). */
    static long[] pack(EdgeList l) {
        long[] out = new long[l.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((long) l.src()[i] << 32) | (l.dst()[i] & 0xFFFFFFFFL);
        }
        return out;
    }

    private static String format(List<Double> l) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < l.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.4f", l.get(i)));
        }
        return sb.append(']').toString();
    }

    /** Rows uniform in ±a with expected norm initScale; per-page seeds keep it independent of the thread count. */
    private void initialise(FloatTable table) {
        int d = table.dim();
        float a = (float) (cfg.initScale() * Math.sqrt(3.0 / d));
        int per = table.rowsPerPage();
        int pages = (table.rows() + per - 1) / per;
        parallel(pages, p -> {
            Rng rng = new Rng(Rng.derive(cfg.seed(), 0x1417, p));
            float[] row = new float[d];
            int end = Math.min(table.rows(), (p + 1) * per);
            for (int r = p * per; r < end; r++) {
                for (int k = 0; k < d; k++) {
                    row[k] = a * (2 * rng.nextFloat() - 1);
                }
                table.write(r, row, 0);
            }
        });
    }

    private void parallel(int n, java.util.function.IntConsumer task) {
        int t = Math.min(cfg.threads(), Math.max(1, n));
        if (t == 1) {
            for (int i = 0; i < n; i++) {
                task.accept(i);
            }
            return;
        }
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        runThreads(t, w -> {
            for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                task.accept(i);
            }
        });
    }

    private static void runThreads(int t, java.util.function.IntConsumer body) {
        AtomicReference<Throwable> err = new AtomicReference<>();
        Thread[] ts = new Thread[t];
        for (int w = 0; w < t; w++) {
            int id = w;
            ts[w] = new Thread(() -> {
                try {
                    body.accept(id);
                } catch (Throwable e) {
                    err.compareAndSet(null, e);
                }
            }, "twhin-" + w);
            ts[w].start();
        }
        for (Thread th : ts) {
            try {
                th.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UnexpectedStateException("interrupted", e);
            }
        }
        Throwable e = err.get();
        if (e instanceof RuntimeException re) {
            throw re;
        }
        if (e instanceof Error er) {
            throw er;
        }
        if (e != null) {
            throw new UnexpectedStateException("training thread failed: " + e, e);
        }
    }

    private double runEpoch(Graph g, FloatTable table, float[] acc, float[] rel, float[] relAcc,
            long[][] edges, AliasSampler relSampler, int epoch, long batches,
            Progress progress) {
        int t = cfg.threads();
        TwhinWorker[] workers = new TwhinWorker[t];
        for (int w = 0; w < t; w++) {
            workers[w] = new TwhinWorker(cfg, g, table, acc, rel, relAcc, edges, relSampler,
                    new Rng(Rng.derive(cfg.seed(), epoch, w)));
        }
        if (t == 1) {
            workers[0].run(batches, progress);
        } else {
            runThreads(t, w -> workers[w].run(batches * (w + 1) / t - batches * w / t, progress));
        }
        double loss = 0;
        long n = 0;
        for (TwhinWorker w : workers) {
            loss += w.lossSum;
            n += w.lossCount;
        }
        return n == 0 ? Double.NaN : loss / n;
    }
}
