package dev.ubm.gnn;

import dev.ubm.core.Progress;
import dev.ubm.core.UnexpectedStateException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Trains TwHIN embeddings on a {@link Graph}: score f(s,r,t) = (θ_s + r_rel)·θ_t, logistic loss with label 1 for
 * sampled edges and label 0 for in-batch and uniform negatives, row-wise Adagrad, several threads updating one
 * shared table without locks (Hogwild). Each batch is PyTorch-BigGraph style: positives of one relation are drawn
 * in proportion to their weight, their rows and the batch's shared uniform negatives are copied into small
 * contiguous buffers, all scores and gradients are computed there, and the gradients are added back once per row.
 * The hot loop allocates nothing. With a checkpoint dir, every epoch is saved and a rerun resumes after the last
 * saved epoch; with one thread a run is bit-for-bit reproducible, interrupted or not.
 */
public final class TwhinTrainer {
    /** Label of a negative sample. The public TwHIN reference code uses 1 here, which is a bug. */
    static final float NEGATIVE_LABEL = 0f;
    private static final float EPS = 1e-8f;

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
        AliasSampler[] edgeSamplers = new AliasSampler[rels.length];
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
            edgeSamplers[r.ordinal()] = new AliasSampler(l.size(), i -> tf.apply(w[i]));
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
            int batch = cfg.batchSize();
            long batches = (edgesPerEpoch + batch - 1) / batch;
            int epochsLeft = Math.max(0, cfg.epochs() - start);
            try (Progress progress = new Progress("twhin", batches * batch * epochsLeft, "edges")) {
                for (int epoch = start; epoch < cfg.epochs(); epoch++) {
                    double loss = runEpoch(g, table, acc, rel, relAcc, edgeSamplers, relSampler, epoch, batches,
                            progress);
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
            AliasSampler[] edgeSamplers, AliasSampler relSampler, int epoch, long batches, Progress progress) {
        int t = cfg.threads();
        Worker[] workers = new Worker[t];
        for (int w = 0; w < t; w++) {
            workers[w] = new Worker(cfg, g, table, acc, rel, relAcc, edgeSamplers, relSampler,
                    new Rng(Rng.derive(cfg.seed(), epoch, w)));
        }
        if (t == 1) {
            workers[0].run(batches, progress);
        } else {
            runThreads(t, w -> workers[w].run(batches * (w + 1) / t - batches * w / t, progress));
        }
        double loss = 0;
        long n = 0;
        for (Worker w : workers) {
            loss += w.lossSum;
            n += w.lossCount;
        }
        return n == 0 ? Double.NaN : loss / n;
    }

    /** One thread's state: preallocated batch buffers and its RNG. */
    static final class Worker {
        private final int d;
        private final int batch;
        private final int inT;
        private final int uniT;
        private final int inS;
        private final int uniS;
        private final float wNeg;
        private final float lr;
        private final Graph g;
        private final FloatTable table;
        private final float[] acc;
        private final float[] rel;
        private final float[] relAcc;
        private final AliasSampler[] edgeSamplers;
        private final AliasSampler relSampler;
        private final Relation[] rels = Relation.values();
        private final Rng rng;
        // batch buffers: translated sources U = θ_s + r, targets T, their gradients, and the uniform negatives
        private final float[] u;
        private final float[] tt;
        private final float[] gu;
        private final float[] gt;
        private final float[] ut;
        private final float[] gut;
        private final float[] us;
        private final float[] gus;
        private final float[] gr;
        private final float[] scratch;
        private final int[] sNode;
        private final int[] tNode;
        private final int[] utNode;
        private final int[] usNode;
        double lossSum;
        long lossCount;

        Worker(TwhinConfig cfg, Graph g, FloatTable table, float[] acc, float[] rel, float[] relAcc,
                AliasSampler[] edgeSamplers, AliasSampler relSampler, Rng rng) {
            this.d = cfg.dim();
            this.batch = cfg.batchSize();
            this.inT = TwhinConfig.inBatch(cfg.targetNegatives());
            this.uniT = cfg.targetNegatives() - inT;
            this.inS = TwhinConfig.inBatch(cfg.sourceNegatives());
            this.uniS = cfg.sourceNegatives() - inS;
            this.wNeg = 1f / cfg.negatives();
            this.lr = (float) cfg.learningRate();
            this.g = g;
            this.table = table;
            this.acc = acc;
            this.rel = rel;
            this.relAcc = relAcc;
            this.edgeSamplers = edgeSamplers;
            this.relSampler = relSampler;
            this.rng = rng;
            u = new float[batch * d];
            tt = new float[batch * d];
            gu = new float[batch * d];
            gt = new float[batch * d];
            ut = new float[Math.max(1, uniT) * d];
            gut = new float[Math.max(1, uniT) * d];
            us = new float[Math.max(1, uniS) * d];
            gus = new float[Math.max(1, uniS) * d];
            gr = new float[d];
            scratch = new float[d];
            sNode = new int[batch];
            tNode = new int[batch];
            utNode = new int[Math.max(1, uniT)];
            usNode = new int[Math.max(1, uniS)];
        }

        void run(long batches, Progress progress) {
            int pending = 0;
            for (long b = 0; b < batches; b++) {
                step(rels[relSampler.sample(rng)]);
                if (++pending == 64) {
                    progress.add((long) pending * batch);
                    pending = 0;
                }
            }
            progress.add((long) pending * batch);
        }

        /** One batch of one relation: gather, score, accumulate gradients, scatter with row-wise Adagrad. */
        void step(Relation r) {
            final int d = this.d;
            final int n = batch;
            EdgeList el = g.edges(r);
            int[] src = el.src();
            int[] dst = el.dst();
            AliasSampler sampler = edgeSamplers[r.ordinal()];
            int so = g.offset(r.source());
            int to = g.offset(r.target());
            int ns = g.nodes(r.source());
            int nt = g.nodes(r.target());
            int ro = r.ordinal() * d;
            for (int i = 0; i < n; i++) {
                int e = sampler.sample(rng);
                int s = so + src[e];
                int t = to + dst[e];
                sNode[i] = s;
                tNode[i] = t;
                table.read(s, u, i * d);
                table.read(t, tt, i * d);
                add(rel, ro, u, i * d, d);
            }
            for (int k = 0; k < uniT; k++) {
                int x = to + rng.nextInt(nt);
                utNode[k] = x;
                table.read(x, ut, k * d);
            }
            for (int k = 0; k < uniS; k++) {
                int x = so + rng.nextInt(ns);
                usNode[k] = x;
                table.read(x, us, k * d);
                add(rel, ro, us, k * d, d);
            }
            Arrays.fill(gu, 0f);
            Arrays.fill(gt, 0f);
            Arrays.fill(gut, 0f);
            Arrays.fill(gus, 0f);
            double loss = 0;
            final float wn = wNeg;
            for (int i = 0; i < n; i++) {
                final int io = i * d;
                final int si = sNode[i];
                final int ti = tNode[i];
                // positive: label 1
                float p = dot(u, io, tt, io, d);
                float ep = (float) Math.exp(-Math.abs(p));
                float sig = p >= 0 ? 1f / (1f + ep) : ep / (1f + ep);
                loss += Math.max(-p, 0f) + Math.log(1.0 + ep);
                float gp = sig - 1f;
                axpy(gp, tt, io, gu, io, d);
                axpy(gp, u, io, gt, io, d);
                // corrupted targets from the batch
                for (int j = 1; j <= inT; j++) {
                    int jj = i + j < n ? i + j : i + j - n;
                    if (tNode[jj] == ti) {
                        continue;
                    }
                    int jo = jj * d;
                    float f = dot(u, io, tt, jo, d);
                    float gn = negGrad(f) * wn;
                    loss += wn * negLoss(f);
                    axpy(gn, tt, jo, gu, io, d);
                    axpy(gn, u, io, gt, jo, d);
                }
                // uniform corrupted targets (shared by the batch)
                for (int k = 0; k < uniT; k++) {
                    if (utNode[k] == ti) {
                        continue;
                    }
                    int ko = k * d;
                    float f = dot(u, io, ut, ko, d);
                    float gn = negGrad(f) * wn;
                    loss += wn * negLoss(f);
                    axpy(gn, ut, ko, gu, io, d);
                    axpy(gn, u, io, gut, ko, d);
                }
                // corrupted sources from the batch
                for (int j = 1; j <= inS; j++) {
                    int jj = i + j < n ? i + j : i + j - n;
                    if (sNode[jj] == si) {
                        continue;
                    }
                    int jo = jj * d;
                    float f = dot(u, jo, tt, io, d);
                    float gn = negGrad(f) * wn;
                    loss += wn * negLoss(f);
                    axpy(gn, tt, io, gu, jo, d);
                    axpy(gn, u, jo, gt, io, d);
                }
                // uniform corrupted sources
                for (int k = 0; k < uniS; k++) {
                    if (usNode[k] == si) {
                        continue;
                    }
                    int ko = k * d;
                    float f = dot(us, ko, tt, io, d);
                    float gn = negGrad(f) * wn;
                    loss += wn * negLoss(f);
                    axpy(gn, tt, io, gus, ko, d);
                    axpy(gn, us, ko, gt, io, d);
                }
            }
            lossSum += loss;
            lossCount += n;
            // scatter: every row gets its accumulated gradient once; the relation gets the sum over sources
            Arrays.fill(gr, 0f);
            for (int i = 0; i < n; i++) {
                update(sNode[i], gu, i * d);
                add(gu, i * d, gr, 0, d);
                update(tNode[i], gt, i * d);
            }
            for (int k = 0; k < uniT; k++) {
                update(utNode[k], gut, k * d);
            }
            for (int k = 0; k < uniS; k++) {
                update(usNode[k], gus, k * d);
                add(gus, k * d, gr, 0, d);
            }
            float ss = sumSquares(gr, 0, d) / d;
            if (ss > 0) {
                int ri = r.ordinal();
                float a = relAcc[ri] + ss;
                relAcc[ri] = a;
                float scale = -lr / ((float) Math.sqrt(a) + EPS);
                for (int k = 0; k < d; k++) {
                    rel[ro + k] += scale * gr[k];
                }
            }
        }

        /** dL/df of a negative: σ(f) − label, with label 0. */
        private static float negGrad(float f) {
            float e = (float) Math.exp(-Math.abs(f));
            float sig = f >= 0 ? 1f / (1f + e) : e / (1f + e);
            return sig - NEGATIVE_LABEL;
        }

        /** −log(1 − σ(f)) = softplus(f), the loss of a negative with label 0. */
        private static double negLoss(float f) {
            return Math.max(f, 0f) + Math.log(1.0 + Math.exp(-Math.abs(f)));
        }

        private void update(int node, float[] grad, int off) {
            float ss = sumSquares(grad, off, d) / d;
            if (ss == 0f) {
                return;
            }
            float a = acc[node] + ss;
            acc[node] = a;
            table.addScaled(node, grad, off, -lr / ((float) Math.sqrt(a) + EPS), scratch);
        }
    }

    static float dot(float[] a, int ao, float[] b, int bo, int d) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int k = 0;
        for (; k + 3 < d; k += 4) {
            s0 += a[ao + k] * b[bo + k];
            s1 += a[ao + k + 1] * b[bo + k + 1];
            s2 += a[ao + k + 2] * b[bo + k + 2];
            s3 += a[ao + k + 3] * b[bo + k + 3];
        }
        for (; k < d; k++) {
            s0 += a[ao + k] * b[bo + k];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** y[yo..] += g * x[xo..]. */
    static void axpy(float g, float[] x, int xo, float[] y, int yo, int d) {
        for (int k = 0; k < d; k++) {
            y[yo + k] += g * x[xo + k];
        }
    }

    /** y[yo..] += x[xo..]. */
    static void add(float[] x, int xo, float[] y, int yo, int d) {
        for (int k = 0; k < d; k++) {
            y[yo + k] += x[xo + k];
        }
    }

    static float sumSquares(float[] x, int off, int d) {
        float s = 0;
        for (int k = 0; k < d; k++) {
            s += x[off + k] * x[off + k];
        }
        return s;
    }
}
