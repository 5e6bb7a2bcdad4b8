package dev.ubm.gnn;

import dev.ubm.core.Progress;

import java.util.Arrays;

/**
 * One TwHIN training thread: draws batches, computes scores and gradients, applies row-wise Adagrad to the shared
 * table. Written so that HotSpot turns the inner loops into SIMD code, which in Java (without the incubating Vector
 * API) means every inner loop indexes every array with the bare loop variable: rows are separate {@code float[]}s.
 * Scores are computed on a transposed copy of the batch ({@code ub[k][i]}: dimension k of edge i), one
 * element-wise loop over the batch per dimension and pair kind; in-batch negatives are materialised shifted copies
 * (edge i meets edge i+s), uniform negatives broadcast one value per dimension. Gradients are row-major axpys.
 * Nothing is allocated per batch.
 */
final class TwhinWorker {
    /** Label of a negative sample. The public TwHIN reference code uses 1 here, which is a bug. */
    static final float NEGATIVE_LABEL = 0f;
    /**
     * True when the JVM runs with {@code --add-modules jdk.incubator.vector} (and not {@code -Dubm.gnn.scalar=true}):
     * workers then use {@link VectorKernels} (row-major dot products, register-resident gradient sums) instead of the
     * transposed plain-Java kernels. Both compute the same sums in a different order, so results agree to rounding.
     */
    static final boolean VECTOR_API = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
            && !Boolean.getBoolean("ubm.gnn.scalar");
    private static final float EPS = 1e-8f;
    /** The loss is computed (exactly) on one batch in this many; training does not need it. */
    private static final int LOSS_EVERY = 8;
    private static final float SIG_RANGE = 8f;
    private static final int SIG_STEPS = 4096;
    private static final float[] SIGMOID = new float[SIG_STEPS + 1];

    static {
        for (int i = 0; i <= SIG_STEPS; i++) {
            double x = -SIG_RANGE + 2.0 * SIG_RANGE * (i + 0.5) / SIG_STEPS;
            SIGMOID[i] = (float) (1 / (1 + Math.exp(-x)));
        }
    }

    private final TwhinConfig cfg;
    private final int d;
    private final int c;
    private final int inT;
    private final int inS;
    private final int uniT;
    private final int uniS;
    private final float wNeg;
    private final float lr;
    private final Graph g;
    private final FloatTable table;
    private final float[] acc;
    private final float[] rel;
    private final float[] relAcc;
    private final AliasSampler[] edgeSamplers;
    private final long[][] endpoints;
    private final AliasSampler relSampler;
    private final Relation[] rels = Relation.values();
    private final Rng rng;
    private final boolean vector;
    // row-major batch rows: translated sources, targets, their gradients; uniform negatives and their gradients
    final float[][] u;
    final float[][] t;
    final float[][] gu;
    final float[][] gt;
    final float[][] ut;
    final float[][] us;
    final float[][] gut;
    final float[][] gus;
    // transposed batch for scores: [k][i]; shifted copies [s-1][k][i] = [k][(i + s) % c]
    private final float[][] ub;
    private final float[][] tb;
    private final float[][][] tShift;
    private final float[][][] uShift;
    // scores, then dLoss/dscore: [pair kind][i]
    private final float[][] fPos;
    private final float[][] fT;
    private final float[][] fS;
    private final float[][] fUT;
    private final float[][] fUS;
    private final float[] relRow;
    private final float[] gr;
    private final float[] scratch;
    final int[] sNode;
    final int[] tNode;
    final int[] utNode;
    final int[] usNode;
    private final float[][] dotRows;
    private final float[] dotOut;
    private final float[] termCoef;
    private final float[][] termRow;
    private long batchesDone;
    /** Keeps the prefetching reads of acc in {@link #gather} alive. */
    float accTouch;
    double lossSum;
    long lossCount;

    /**
     * @param endpoints per relation, edge e packed as (source id << 32 | target id), so a draw reads one array slot
     */
    TwhinWorker(TwhinConfig cfg, Graph g, FloatTable table, float[] acc, float[] rel, float[] relAcc,
            AliasSampler[] edgeSamplers, long[][] endpoints, AliasSampler relSampler, Rng rng) {
        this(cfg, g, table, acc, rel, relAcc, edgeSamplers, endpoints, relSampler, rng, VECTOR_API);
    }

    /** @param vector use {@link VectorKernels} (only when {@link #VECTOR_API}) */
    TwhinWorker(TwhinConfig cfg, Graph g, FloatTable table, float[] acc, float[] rel, float[] relAcc,
            AliasSampler[] edgeSamplers, long[][] endpoints, AliasSampler relSampler, Rng rng, boolean vector) {
        if (vector && !VECTOR_API) {
            throw new IllegalStateException("the Vector API is not available (--add-modules jdk.incubator.vector)");
        }
        this.vector = vector;
        this.cfg = cfg;
        this.d = cfg.dim();
        this.c = cfg.batchSize();
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
        this.endpoints = endpoints;
        this.relSampler = relSampler;
        this.rng = rng;
        u = new float[c][d];
        t = new float[c][d];
        gu = new float[c][d];
        gt = new float[c][d];
        ut = new float[uniT][d];
        us = new float[uniS][d];
        gut = new float[uniT][d];
        gus = new float[uniS][d];
        // the transposed copies only serve the plain-Java score kernel
        int tc = vector ? 0 : c;
        ub = new float[d][tc];
        tb = new float[d][tc];
        tShift = new float[inT][d][tc];
        uShift = new float[inS][d][tc];
        fPos = new float[1][c];
        fT = new float[inT][c];
        fS = new float[inS][c];
        fUT = new float[uniT][c];
        fUS = new float[uniS][c];
        relRow = new float[d];
        gr = new float[d];
        scratch = new float[d];
        sNode = new int[c];
        tNode = new int[c];
        utNode = new int[uniT];
        usNode = new int[uniS];
        dotRows = new float[cfg.negatives() + 2][];
        dotOut = new float[cfg.negatives() + 2];
        termCoef = new float[Math.max(c, cfg.negatives() + 1) + 4];
        termRow = new float[termCoef.length][];
    }

    TwhinConfig config() {
        return cfg;
    }

    void run(long batches, Progress progress) {
        int pending = 0;
        for (long b = 0; b < batches; b++) {
            step(rels[relSampler.sample(rng)]);
            if (++pending == 64) {
                progress.add((long) pending * c);
                pending = 0;
            }
        }
        progress.add((long) pending * c);
    }

    static float sigmoid(float x) {
        if (x >= SIG_RANGE) {
            return 1f;
        }
        if (x <= -SIG_RANGE) {
            return 0f;
        }
        return SIGMOID[(int) ((x + SIG_RANGE) * (SIG_STEPS / (2 * SIG_RANGE)))];
    }

    /** softplus(x) = log(1 + e^x). */
    private static double softplus(float x) {
        return Math.max(x, 0f) + Math.log(1.0 + Math.exp(-Math.abs(x)));
    }

    /** One batch of one relation: gather, score, gradients, row-wise Adagrad scatter. */
    void step(Relation r) {
        boolean withLoss = batchesDone++ % LOSS_EVERY == 0;
        gradientsOfBatch(r, withLoss);
        scatter(r);
    }

    /** Draws a batch and leaves the gradients of its rows in gu, gt, gut, gus (tests check them numerically). */
    void gradientsOfBatch(Relation r, boolean withLoss) {
        gather(r);
        score();
        coefficients(withLoss);
        gradients();
    }

    private void gather(Relation r) {
        long[] ends = endpoints[r.ordinal()];
        AliasSampler sampler = edgeSamplers[r.ordinal()];
        int so = g.offset(r.source());
        int to = g.offset(r.target());
        for (int i = 0; i < c; i++) {
            long e = ends[sampler.sample(rng)];
            sNode[i] = so + (int) (e >>> 32);
            tNode[i] = to + (int) e;
        }
        System.arraycopy(rel, r.ordinal() * d, relRow, 0, d);
        float touch = 0f;
        for (int i = 0; i < c; i++) {
            // reading the Adagrad slots now brings their cache lines in while the rows are fetched, so the
            // updates in scatter() hit the cache (random nodes of a large graph miss it otherwise)
            touch += acc[sNode[i]] + acc[tNode[i]];
            table.read(sNode[i], u[i], 0);
            table.read(tNode[i], t[i], 0);
            if (vector) {
                VectorKernels.axpy(1f, relRow, u[i], d);
            } else {
                add(relRow, u[i]);
            }
        }
        accTouch = touch;
        if (!vector) {
            transpose(u, ub);
            transpose(t, tb);
            for (int s = 1; s <= inT; s++) {
                shift(tb, tShift[s - 1], s);
            }
            for (int s = 1; s <= inS; s++) {
                shift(ub, uShift[s - 1], s);
            }
        }
        int nt = g.nodes(r.target());
        int ns = g.nodes(r.source());
        for (int q = 0; q < uniT; q++) {
            utNode[q] = to + rng.nextInt(nt);
            table.read(utNode[q], ut[q], 0);
        }
        for (int q = 0; q < uniS; q++) {
            usNode[q] = so + rng.nextInt(ns);
            table.read(usNode[q], us[q], 0);
            add(relRow, us[q]);
        }
    }

    /** to[k][i] = from[i][k], four rows at a time (fewer loads of the destination rows). */
    private void transpose(float[][] from, float[][] to) {
        int i = 0;
        for (; i + 3 < c; i += 4) {
            float[] r0 = from[i];
            float[] r1 = from[i + 1];
            float[] r2 = from[i + 2];
            float[] r3 = from[i + 3];
            for (int k = 0; k < d; k++) {
                float[] out = to[k];
                out[i] = r0[k];
                out[i + 1] = r1[k];
                out[i + 2] = r2[k];
                out[i + 3] = r3[k];
            }
        }
        for (; i < c; i++) {
            float[] r = from[i];
            for (int k = 0; k < d; k++) {
                to[k][i] = r[k];
            }
        }
    }

    /** to[k][i] = from[k][(i + s) % c]. */
    private void shift(float[][] from, float[][] to, int s) {
        for (int k = 0; k < d; k++) {
            System.arraycopy(from[k], s, to[k], 0, c - s);
            System.arraycopy(from[k], 0, to[k], c - s, s);
        }
    }

    /** Scores of every pair, one element-wise loop over the batch per dimension and pair kind. */
    private void score() {
        if (vector) {
            scoreRows();
            return;
        }
        final int c = this.c;
        Arrays.fill(fPos[0], 0f);
        zero(fT);
        zero(fS);
        zero(fUT);
        zero(fUS);
        float[] fp = fPos[0];
        for (int k = 0; k < d; k++) {
            float[] uk = ub[k];
            float[] tk = tb[k];
            for (int i = 0; i < c; i++) {
                fp[i] += uk[i] * tk[i];
            }
            for (int s = 0; s < inT; s++) {
                float[] f = fT[s];
                float[] x = tShift[s][k];
                for (int i = 0; i < c; i++) {
                    f[i] += uk[i] * x[i];
                }
            }
            for (int s = 0; s < inS; s++) {
                float[] f = fS[s];
                float[] x = uShift[s][k];
                for (int i = 0; i < c; i++) {
                    f[i] += x[i] * tk[i];
                }
            }
            for (int q = 0; q < uniT; q++) {
                float[] f = fUT[q];
                float x = ut[q][k];
                for (int i = 0; i < c; i++) {
                    f[i] += uk[i] * x;
                }
            }
            for (int q = 0; q < uniS; q++) {
                float[] f = fUS[q];
                float x = us[q][k];
                for (int i = 0; i < c; i++) {
                    f[i] += x * tk[i];
                }
            }
        }
    }

    /**
     * Scores of every pair as row-major dot products (Vector API): the target-side pairs of edge i share u_i, the
     * source-side pairs share t_i, so each is one {@link VectorKernels#dots} call.
     */
    private void scoreRows() {
        final int c = this.c;
        final int d = this.d;
        float[][] ys = dotRows;
        float[] out = dotOut;
        float[] fp = fPos[0];
        for (int i = 0; i < c; i++) {
            int n = 0;
            ys[n++] = t[i];
            for (int s = 1; s <= inT; s++) {
                ys[n++] = t[i + s < c ? i + s : i + s - c];
            }
            for (int q = 0; q < uniT; q++) {
                ys[n++] = ut[q];
            }
            VectorKernels.dots(u[i], ys, n, out, d);
            n = 0;
            fp[i] = out[n++];
            for (int s = 0; s < inT; s++) {
                fT[s][i] = out[n++];
            }
            for (int q = 0; q < uniT; q++) {
                fUT[q][i] = out[n++];
            }
            n = 0;
            for (int s = 1; s <= inS; s++) {
                ys[n++] = u[i + s < c ? i + s : i + s - c];
            }
            for (int q = 0; q < uniS; q++) {
                ys[n++] = us[q];
            }
            VectorKernels.dots(t[i], ys, n, out, d);
            n = 0;
            for (int s = 0; s < inS; s++) {
                fS[s][i] = out[n++];
            }
            for (int q = 0; q < uniS; q++) {
                fUS[q][i] = out[n++];
            }
        }
    }

    private static void zero(float[][] a) {
        for (float[] x : a) {
            Arrays.fill(x, 0f);
        }
    }

    /** Turns scores into dLoss/dscore in place (label 1 for positives, 0 for negatives; masked negatives get 0). */
    private void coefficients(boolean withLoss) {
        final int c = this.c;
        double loss = 0;
        float[] fp = fPos[0];
        for (int i = 0; i < c; i++) {
            float p = fp[i];
            if (withLoss) {
                loss += softplus(-p);
            }
            fp[i] = sigmoid(p) - 1f;
        }
        final float wn = wNeg;
        for (int s = 1; s <= inT; s++) {
            float[] f = fT[s - 1];
            for (int i = 0; i < c; i++) {
                int j = i + s < c ? i + s : i + s - c;
                loss += negative(f, i, tNode[j] == tNode[i], wn, withLoss);
            }
        }
        for (int s = 1; s <= inS; s++) {
            float[] f = fS[s - 1];
            for (int i = 0; i < c; i++) {
                int j = i + s < c ? i + s : i + s - c;
                loss += negative(f, i, sNode[j] == sNode[i], wn, withLoss);
            }
        }
        for (int q = 0; q < uniT; q++) {
            float[] f = fUT[q];
            for (int i = 0; i < c; i++) {
                loss += negative(f, i, utNode[q] == tNode[i], wn, withLoss);
            }
        }
        for (int q = 0; q < uniS; q++) {
            float[] f = fUS[q];
            for (int i = 0; i < c; i++) {
                loss += negative(f, i, usNode[q] == sNode[i], wn, withLoss);
            }
        }
        if (withLoss) {
            lossSum += loss;
            lossCount += c;
        }
    }

    private static double negative(float[] f, int i, boolean masked, float wn, boolean withLoss) {
        if (masked) {
            f[i] = 0f;
            return 0;
        }
        float x = f[i];
        f[i] = wn * (sigmoid(x) - NEGATIVE_LABEL);
        return withLoss ? wn * softplus(x) : 0;
    }

    /**
     * Row gradients, gathered by destination so each gradient row is written once: the gradient of source row i
     * sums its positive, its corrupted targets (i+s, uniform) and the pairs where it is the corrupted source of
     * edge i-s; likewise for target rows. Uniform rows sum over the whole batch. Terms go four at a time through
     * {@link #combine} (one pass over the destination per four rows).
     */
    private void gradients() {
        final int c = this.c;
        float[] fp = fPos[0];
        for (int i = 0; i < c; i++) {
            // source row i: d/du_i of (u_i·t_i), (u_i·t_{i+s}), (u_i·ut_q), and (u_i·t_{i-s}) as a corrupted source
            int n = 0;
            n = term(n, fp[i], t[i]);
            for (int s = 1; s <= inT; s++) {
                int j = i + s < c ? i + s : i + s - c;
                n = term(n, fT[s - 1][i], t[j]);
            }
            for (int q = 0; q < uniT; q++) {
                n = term(n, fUT[q][i], ut[q]);
            }
            for (int s = 1; s <= inS; s++) {
                int j = i - s >= 0 ? i - s : i - s + c;
                n = term(n, fS[s - 1][j], t[j]);
            }
            combine(gu[i], n);
            // target row i: d/dt_i of (u_i·t_i), (u_{i+s}·t_i), (us_q·t_i), and (u_{i-s}·t_i) as a corrupted target
            n = 0;
            n = term(n, fp[i], u[i]);
            for (int s = 1; s <= inS; s++) {
                int j = i + s < c ? i + s : i + s - c;
                n = term(n, fS[s - 1][i], u[j]);
            }
            for (int q = 0; q < uniS; q++) {
                n = term(n, fUS[q][i], us[q]);
            }
            for (int s = 1; s <= inT; s++) {
                int j = i - s >= 0 ? i - s : i - s + c;
                n = term(n, fT[s - 1][j], u[j]);
            }
            combine(gt[i], n);
        }
        for (int q = 0; q < uniT; q++) {
            int n = 0;
            for (int i = 0; i < c; i++) {
                n = term(n, fUT[q][i], u[i]);
            }
            combine(gut[q], n);
        }
        for (int q = 0; q < uniS; q++) {
            int n = 0;
            for (int i = 0; i < c; i++) {
                n = term(n, fUS[q][i], t[i]);
            }
            combine(gus[q], n);
        }
    }


    /** Queues coef * row for {@link #combine} (zero coefficients, i.e. masked pairs, are dropped). */
    private int term(int n, float coef, float[] row) {
        if (coef == 0f) {
            return n;
        }
        if (n == termRow.length) {
            throw new IllegalStateException("too many gradient terms");
        }
        termCoef[n] = coef;
        termRow[n] = row;
        return n + 1;
    }

    /** y = Σ queued coef·row, four rows per pass. */
    private void combine(float[] y, int n) {
        if (vector) {
            VectorKernels.combine(y, d, termCoef, termRow, n);
            return;
        }
        float[] c = termCoef;
        float[][] r = termRow;
        int i = 0;
        if (n == 0) {
            Arrays.fill(y, 0f);
            return;
        }
        switch (Math.min(n, 4)) {
            case 1 -> set1(y, c[0], r[0]);
            case 2 -> set2(y, c[0], r[0], c[1], r[1]);
            case 3 -> set3(y, c[0], r[0], c[1], r[1], c[2], r[2]);
            default -> set4(y, c[0], r[0], c[1], r[1], c[2], r[2], c[3], r[3]);
        }
        i = Math.min(n, 4);
        for (; i + 3 < n; i += 4) {
            add4(y, c[i], r[i], c[i + 1], r[i + 1], c[i + 2], r[i + 2], c[i + 3], r[i + 3]);
        }
        for (; i < n; i++) {
            axpy(c[i], r[i], y);
        }
    }

    private static void set1(float[] y, float a0, float[] x0) {
        for (int k = 0; k < y.length; k++) {
            y[k] = a0 * x0[k];
        }
    }

    private static void set2(float[] y, float a0, float[] x0, float a1, float[] x1) {
        for (int k = 0; k < y.length; k++) {
            y[k] = a0 * x0[k] + a1 * x1[k];
        }
    }

    private static void set3(float[] y, float a0, float[] x0, float a1, float[] x1, float a2, float[] x2) {
        for (int k = 0; k < y.length; k++) {
            y[k] = a0 * x0[k] + a1 * x1[k] + a2 * x2[k];
        }
    }

    private static void set4(float[] y, float a0, float[] x0, float a1, float[] x1, float a2, float[] x2, float a3,
            float[] x3) {
        for (int k = 0; k < y.length; k++) {
            y[k] = (a0 * x0[k] + a1 * x1[k]) + (a2 * x2[k] + a3 * x3[k]);
        }
    }

    private static void add4(float[] y, float a0, float[] x0, float a1, float[] x1, float a2, float[] x2, float a3,
            float[] x3) {
        for (int k = 0; k < y.length; k++) {
            y[k] += (a0 * x0[k] + a1 * x1[k]) + (a2 * x2[k] + a3 * x3[k]);
        }
    }

    private void scatter(Relation r) {
        for (int i = 0; i < c; i++) {
            update(sNode[i], gu[i]);
            update(tNode[i], gt[i]);
        }
        int n = 0;
        for (int i = 0; i < c; i++) {
            n = term(n, 1f, gu[i]);
        }
        combine(gr, n);
        for (int q = 0; q < uniT; q++) {
            update(utNode[q], gut[q]);
        }
        for (int q = 0; q < uniS; q++) {
            update(usNode[q], gus[q]);
            add(gus[q], gr);
        }
        float ss = rowSumSquares(gr) / d;
        if (ss > 0) {
            int ri = r.ordinal();
            float a = relAcc[ri] + ss;
            relAcc[ri] = a;
            float scale = -lr / ((float) Math.sqrt(a) + EPS);
            System.arraycopy(rel, ri * d, scratch, 0, d);
            axpy(scale, gr, scratch);
            System.arraycopy(scratch, 0, rel, ri * d, d);
        }
    }

    private void update(int node, float[] grad) {
        float ss = rowSumSquares(grad) / d;
        if (ss == 0f) {
            return;
        }
        float a = acc[node] + ss;
        acc[node] = a;
        float scale = -lr / ((float) Math.sqrt(a) + EPS);
        if (!vector) {
            table.addScaled(node, grad, scale, scratch);
            return;
        }
        float[] page = table.heapPage(node);
        if (page != null) {
            VectorKernels.axpy(scale, grad, page, table.offsetInPage(node), d);
        } else {
            // the same fused multiply-adds as on the heap, so both layouts train bit for bit alike
            table.read(node, scratch, 0);
            VectorKernels.axpy(scale, grad, scratch, d);
            table.write(node, scratch, 0);
        }
    }

    private float rowSumSquares(float[] x) {
        return vector ? VectorKernels.sumSquares(x, d) : sumSquares(x);
    }

    /** y += a * x (whole rows; the bare index lets the JIT vectorise). */
    static void axpy(float a, float[] x, float[] y) {
        for (int k = 0; k < y.length; k++) {
            y[k] += a * x[k];
        }
    }

    /** y += x. */
    static void add(float[] x, float[] y) {
        for (int k = 0; k < y.length; k++) {
            y[k] += x[k];
        }
    }

    static float sumSquares(float[] x) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        float s4 = 0;
        float s5 = 0;
        float s6 = 0;
        float s7 = 0;
        int n = x.length;
        int k = 0;
        for (; k + 7 < n; k += 8) {
            s0 += x[k] * x[k];
            s1 += x[k + 1] * x[k + 1];
            s2 += x[k + 2] * x[k + 2];
            s3 += x[k + 3] * x[k + 3];
            s4 += x[k + 4] * x[k + 4];
            s5 += x[k + 5] * x[k + 5];
            s6 += x[k + 6] * x[k + 6];
            s7 += x[k + 7] * x[k + 7];
        }
        for (; k < n; k++) {
            s0 += x[k] * x[k];
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }
}
