package dev.ubm.gnn;

import dev.ubm.core.Progress;

import java.util.Arrays;

/**
 * One TwHIN training thread. It works on chunks of positive edges of one relation, PyTorch-BigGraph style: every
 * positive of a chunk is scored against the same set of negatives on each side (target side: the targets of the
 * chunk's first edges plus uniform targets; source side: likewise with sources), so the scores are a small dense
 * product (chunk × negatives), each negative row gets its gradient summed over the whole chunk and is written once,
 * and the random rows read per positive edge are just its source and its target. The hot loop allocates nothing.
 *
 * <p>Memory: a chunk is gathered in stages (draw every edge, each draw usually one 16-byte record holding the
 * alias slot and the endpoints; then touch every cache line of every row and Adagrad slot; then copy), so the cache
 * misses of the chunk overlap instead of waiting one after another. Row-wise Adagrad runs in three passes over the
 * chunk's rows for the same reason.
 */
final class TwhinWorker {
    /** Label of a negative sample. The public TwHIN reference code uses 1 here, which is a bug. */
    static final float NEGATIVE_LABEL = 0f;
    /**
     * True when the JVM runs with {@code --add-modules jdk.incubator.vector} (and not {@code -Dubm.gnn.scalar=true}):
     * workers then use {@link VectorKernels} (explicit SIMD) instead of plain-Java loops. Both compute the same sums
     * in a different order, so results agree to rounding.
     */
    static final boolean VECTOR_API = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
            && !Boolean.getBoolean("ubm.gnn.scalar");
    private static final float EPS = 1e-8f;
    /** The loss is computed (exactly) on one chunk in this many; training does not need it. */
    private static final int LOSS_EVERY = 8;

    private final TwhinConfig cfg;
    private final int d;
    /** Positive edges per chunk. */
    private final int c;
    /** Negatives per side; the first inT / inS of them are the chunk's own targets / sources. */
    final int nT;
    final int nS;
    final int inT;
    final int inS;
    /** Negatives per side padded to whole vectors (the padding lanes score 0 and get coefficient 0). */
    private final int lT;
    private final int lS;
    private final float wNeg;
    private final float lr;
    private final Graph g;
    private final FloatTable table;
    private final float[] acc;
    private final float[] rel;
    private final float[] relAcc;
    private final long[][] edges;
    private final AliasSampler relSampler;
    private final Relation[] rels = Relation.values();
    private final Rng rng;
    private final boolean vector;
    // chunk rows: translated sources u_i = θ_s + r, targets t_i, uniform negatives (sources translated), gradients
    final float[][] u;
    final float[][] t;
    final float[][] qt;
    final float[][] qs;
    final float[][] gu;
    final float[][] gt;
    /** Gradients of the negatives of each side as negatives (rows inT.. / inS.. are the uniform ones'). */
    final float[][] gnt;
    final float[][] gns;
    /** The negative rows of each side: views of t / u (in-batch) followed by qt / qs (uniform). */
    private final float[][] negT;
    private final float[][] negS;
    /** Negatives transposed, [k * lT + j] = negT[j][k]: lanes are negatives, so a score row is one product. */
    private final float[] ntT;
    private final float[] nsT;
    /** Scores, then dLoss/dscore: [i * lT + j] for positive i and target-side negative j; likewise source side. */
    private final float[] fT;
    private final float[] fS;
    /** Positive scores, then dLoss/dscore. */
    private final float[] fPos;
    /** Weight of each (padded) negative lane: 1/negatives for real negatives, 0 for padding. */
    private final float[] laneT;
    private final float[] laneS;
    private final float[] relRow;
    private final float[] gr;
    private final float[] scratch;
    final int[] sNode;
    final int[] tNode;
    final int[] negTNode;
    final int[] negSNode;
    private final int[] upNode;
    private final float[][] upGrad;
    private final float[] upScale;
    private final float[] termCoef;
    private final float[][] termRow;
    private long chunksDone;
    /** Keeps the prefetching reads of {@link #gather} alive. */
    float touchSink;
    double lossSum;
    long lossCount;

    /**
     * @param edges per relation, the records of {@link AliasSampler#withPayload} with edge e's payload packed as
     *              (source id << 32 | target id): a draw usually reads one 16-byte record
     */
    TwhinWorker(TwhinConfig cfg, Graph g, FloatTable table, float[] acc, float[] rel, float[] relAcc,
            long[][] edges, AliasSampler relSampler, Rng rng) {
        this(cfg, g, table, acc, rel, relAcc, edges, relSampler, rng, VECTOR_API);
    }

    /** @param vector use {@link VectorKernels} (only when {@link #VECTOR_API}) */
    TwhinWorker(TwhinConfig cfg, Graph g, FloatTable table, float[] acc, float[] rel, float[] relAcc,
            long[][] edges, AliasSampler relSampler, Rng rng, boolean vector) {
        if (vector && !VECTOR_API) {
            throw new IllegalStateException("the Vector API is not available (--add-modules jdk.incubator.vector)");
        }
        this.vector = vector;
        this.cfg = cfg;
        this.d = cfg.dim();
        this.c = cfg.chunk();
        this.nT = cfg.targetNegatives();
        this.nS = cfg.sourceNegatives();
        this.inT = TwhinConfig.inBatch(nT);
        this.inS = TwhinConfig.inBatch(nS);
        int lanes = vector ? VectorKernels.lanes() : 1;
        this.lT = (nT + lanes - 1) / lanes * lanes;
        this.lS = Math.max(lanes, (nS + lanes - 1) / lanes * lanes);
        this.wNeg = 1f / cfg.negatives();
        this.lr = (float) cfg.learningRate();
        this.g = g;
        this.table = table;
        this.acc = acc;
        this.rel = rel;
        this.relAcc = relAcc;
        this.edges = edges;
        this.relSampler = relSampler;
        this.rng = rng;
        u = new float[c][d];
        t = new float[c][d];
        gu = new float[c][d];
        gt = new float[c][d];
        qt = new float[nT - inT][d];
        qs = new float[nS - inS][d];
        gnt = new float[nT][d];
        gns = new float[nS][d];
        negT = new float[nT][];
        negS = new float[nS][];
        for (int j = 0; j < nT; j++) {
            negT[j] = j < inT ? t[j] : qt[j - inT];
        }
        for (int j = 0; j < nS; j++) {
            negS[j] = j < inS ? u[j] : qs[j - inS];
        }
        ntT = new float[d * lT];
        nsT = new float[d * lS];
        fT = new float[c * lT];
        fS = new float[c * lS];
        fPos = new float[c];
        laneT = new float[lT];
        laneS = new float[lS];
        Arrays.fill(laneT, 0, nT, wNeg);
        Arrays.fill(laneS, 0, nS, wNeg);
        relRow = new float[d];
        gr = new float[d];
        scratch = new float[d];
        sNode = new int[c];
        tNode = new int[c];
        negTNode = new int[nT];
        negSNode = new int[nS];
        int ups = 2 * c + nT + nS;
        upNode = new int[ups];
        upGrad = new float[ups][];
        upScale = new float[ups];
        termCoef = new float[c + nS + 1];
        termRow = new float[termCoef.length][];
    }

    TwhinConfig config() {
        return cfg;
    }

    void run(long chunks, Progress progress) {
        int pending = 0;
        for (long b = 0; b < chunks; b++) {
            step(rels[relSampler.sample(rng)]);
            if (++pending == 64) {
                progress.add((long) pending * c);
                pending = 0;
            }
        }
        progress.add((long) pending * c);
    }

    /** σ(x) in float (the plain-Java kernels and the positive scores' reference). */
    static float sigmoid(float x) {
        return (float) (1.0 / (1.0 + Math.exp(-x)));
    }

    /** softplus(x) = log(1 + e^x). */
    private static double softplus(float x) {
        return Math.max(x, 0f) + Math.log(1.0 + Math.exp(-Math.abs(x)));
    }

    /** One chunk of one relation: gather, score, gradients, row-wise Adagrad scatter. */
    void step(Relation r) {
        boolean withLoss = chunksDone++ % LOSS_EVERY == 0;
        gradientsOfChunk(r, withLoss);
        scatter(r);
    }

    /** Draws a chunk and leaves the gradients of its rows in gu, gt, gnt, gns (tests check them numerically). */
    void gradientsOfChunk(Relation r, boolean withLoss) {
        gather(r);
        score();
        coefficients(withLoss);
        gradients();
    }

    void gather(Relation r) {
        long[] rec = edges[r.ordinal()];
        int so = g.offset(r.source());
        int to = g.offset(r.target());
        final int c = this.c;
        // stage 1: the draws (independent reads of the edge records)
        for (int i = 0; i < c; i++) {
            long e = AliasSampler.drawPayload(rec, rng);
            sNode[i] = so + (int) (e >>> 32);
            tNode[i] = to + (int) e;
        }
        int nt = g.nodes(r.target());
        int ns = g.nodes(r.source());
        for (int j = 0; j < nT; j++) {
            negTNode[j] = j < inT ? tNode[j] : to + rng.nextInt(nt);
        }
        for (int j = 0; j < nS; j++) {
            negSNode[j] = j < inS ? sNode[j] : so + rng.nextInt(ns);
        }
        // stage 2: one read per cache line of every row and of its Adagrad slot, all independent, so the misses
        // overlap; the copies below and the updates in scatter() then hit the cache
        float touch = 0f;
        for (int i = 0; i < c; i++) {
            touch += acc[sNode[i]] + acc[tNode[i]] + table.touch(sNode[i]) + table.touch(tNode[i]);
        }
        for (int j = inT; j < nT; j++) {
            touch += acc[negTNode[j]] + table.touch(negTNode[j]);
        }
        for (int j = inS; j < nS; j++) {
            touch += acc[negSNode[j]] + table.touch(negSNode[j]);
        }
        touchSink = touch;
        // stage 3: copies
        System.arraycopy(rel, r.ordinal() * d, relRow, 0, d);
        for (int i = 0; i < c; i++) {
            float[] page = vector ? table.heapPage(sNode[i]) : null;
            if (page != null) {
                VectorKernels.sum(page, table.offsetInPage(sNode[i]), relRow, u[i], d);
            } else {
                table.read(sNode[i], u[i], 0);
                addRow(relRow, u[i]);
            }
            table.read(tNode[i], t[i], 0);
        }
        for (int j = inT; j < nT; j++) {
            table.read(negTNode[j], qt[j - inT], 0);
        }
        for (int j = inS; j < nS; j++) {
            table.read(negSNode[j], qs[j - inS], 0);
            addRow(relRow, qs[j - inS]);
        }
    }

    private void addRow(float[] x, float[] y) {
        if (vector) {
            VectorKernels.axpy(1f, x, y, d);
        } else {
            for (int k = 0; k < d; k++) {
                y[k] += x[k];
            }
        }
    }

    /** Transposes the negatives ([k * l + j]; padding lanes stay 0) and computes every score of the chunk. */
    void score() {
        transpose(negT, nT, ntT, lT);
        transpose(negS, nS, nsT, lS);
        final int c = this.c;
        if (vector) {
            VectorKernels.scoresT(u, c, ntT, lT, fT, d);
            VectorKernels.scoresT(t, c, nsT, lS, fS, d);
            for (int i = 0; i < c; i++) {
                fPos[i] = VectorKernels.dot(u[i], t[i], d);
            }
        } else {
            scoresPlain(u, ntT, lT, fT);
            scoresPlain(t, nsT, lS, fS);
            for (int i = 0; i < c; i++) {
                float s = 0f;
                for (int k = 0; k < d; k++) {
                    s += u[i][k] * t[i][k];
                }
                fPos[i] = s;
            }
        }
    }

    private void transpose(float[][] rows, int n, float[] out, int l) {
        for (int j = 0; j < n; j++) {
            float[] r = rows[j];
            for (int k = 0, o = j; k < d; k++, o += l) {
                out[o] = r[k];
            }
        }
    }

    private void scoresPlain(float[][] xs, float[] nt, int l, float[] out) {
        for (int i = 0; i < c; i++) {
            float[] x = xs[i];
            int o = i * l;
            Arrays.fill(out, o, o + l, 0f);
            for (int k = 0; k < d; k++) {
                float xk = x[k];
                int b = k * l;
                for (int j = 0; j < l; j++) {
                    out[o + j] += xk * nt[b + j];
                }
            }
        }
    }

    /**
     * Turns scores into dLoss/dscore in place: σ(f) − 1 for positives (label 1), (σ(f) − 0)/negatives for
     * negatives (label 0); a negative that is the positive's own node, and every padding lane, gets 0.
     */
    void coefficients(boolean withLoss) {
        final int c = this.c;
        double loss = 0;
        if (withLoss) {
            for (int i = 0; i < c; i++) {
                loss += softplus(-fPos[i]);
                if (vector) {
                    loss += VectorKernels.softplusSum(fT, i * lT, laneT, lT);
                    loss += VectorKernels.softplusSum(fS, i * lS, laneS, lS);
                } else {
                    for (int j = 0; j < nT; j++) {
                        loss += wNeg * softplus(fT[i * lT + j]);
                    }
                    for (int j = 0; j < nS; j++) {
                        loss += wNeg * softplus(fS[i * lS + j]);
                    }
                }
                // masked pairs (a negative that is the positive's own node) do not count
                for (int j = 0; j < nT; j++) {
                    if (negTNode[j] == tNode[i]) {
                        loss -= wNeg * softplus(fT[i * lT + j]);
                    }
                }
                for (int j = 0; j < nS; j++) {
                    if (negSNode[j] == sNode[i]) {
                        loss -= wNeg * softplus(fS[i * lS + j]);
                    }
                }
            }
            lossSum += loss;
            lossCount += c;
        }
        // label 0 for negatives: dLoss/df = weight · (σ(f) − NEGATIVE_LABEL) = weight · σ(f)
        if (vector) {
            VectorKernels.sigmoidTimes(fT, c * lT, laneT, lT);
            VectorKernels.sigmoidTimes(fS, c * lS, laneS, lS);
            VectorKernels.sigmoidTimes(fPos, c, null, 0);
        } else {
            for (int x = 0; x < c * lT; x++) {
                fT[x] = (sigmoid(fT[x]) - NEGATIVE_LABEL) * laneT[x % lT];
            }
            for (int x = 0; x < c * lS; x++) {
                fS[x] = (sigmoid(fS[x]) - NEGATIVE_LABEL) * laneS[x % lS];
            }
            for (int i = 0; i < c; i++) {
                fPos[i] = sigmoid(fPos[i]);
            }
        }
        for (int i = 0; i < c; i++) {
            fPos[i] -= 1f;
            int ti = tNode[i];
            int si = sNode[i];
            for (int j = 0; j < nT; j++) {
                if (negTNode[j] == ti) {
                    fT[i * lT + j] = 0f;
                }
            }
            for (int j = 0; j < nS; j++) {
                if (negSNode[j] == si) {
                    fS[i * lS + j] = 0f;
                }
            }
        }
    }

    /**
     * Row gradients, each gradient row written once. Two small matrix products give the positives' rows
     * (gu = F_T·negT, gt = F_S·negS, plus the positive term) and two give the shared negatives' rows (gnt = F_Tᵀ·u,
     * gns = F_Sᵀ·t); an in-batch negative is a chunk row, so its negative-role gradient is added to that row's.
     */
    void gradients() {
        final int c = this.c;
        if (vector) {
            VectorKernels.coefTimesRows(fT, lT, c, negT, nT, gu, d);
            VectorKernels.coefTimesRows(fS, lS, c, negS, nS, gt, d);
            VectorKernels.coefColsTimesRows(fT, lT, c, u, nT, gnt, d);
            VectorKernels.coefColsTimesRows(fS, lS, c, t, nS, gns, d);
            for (int i = 0; i < c; i++) {
                VectorKernels.axpy(fPos[i], t[i], gu[i], d);
                VectorKernels.axpy(fPos[i], u[i], gt[i], d);
            }
        } else {
            for (int i = 0; i < c; i++) {
                rowsPlain(fT, i * lT, negT, nT, gu[i]);
                rowsPlain(fS, i * lS, negS, nS, gt[i]);
                axpy(fPos[i], t[i], gu[i]);
                axpy(fPos[i], u[i], gt[i]);
            }
            colsPlain(fT, lT, u, nT, gnt);
            colsPlain(fS, lS, t, nS, gns);
        }
        for (int j = 0; j < inT; j++) {
            axpy(1f, gnt[j], gt[j]);
        }
        for (int j = 0; j < inS; j++) {
            axpy(1f, gns[j], gu[j]);
        }
    }

    /** y = Σ_{j &lt; m} coef[o + j]·rows[j]. */
    private void rowsPlain(float[] coef, int o, float[][] rows, int m, float[] y) {
        Arrays.fill(y, 0f);
        for (int j = 0; j < m; j++) {
            float a = coef[o + j];
            float[] r = rows[j];
            for (int k = 0; k < d; k++) {
                y[k] += a * r[k];
            }
        }
    }

    /** out[j] = Σ_i coef[i·l + j]·xs[i] for j &lt; m. */
    private void colsPlain(float[] coef, int l, float[][] xs, int m, float[][] out) {
        for (int j = 0; j < m; j++) {
            float[] y = out[j];
            Arrays.fill(y, 0f);
            for (int i = 0; i < c; i++) {
                float a = coef[i * l + j];
                float[] x = xs[i];
                for (int k = 0; k < d; k++) {
                    y[k] += a * x[k];
                }
            }
        }
    }

    /** Queues coef * row for {@link #combine} (zero coefficients, i.e. masked pairs, are dropped). */
    private int term(int n, float coef, float[] row) {
        if (coef == 0f) {
            return n;
        }
        termCoef[n] = coef;
        termRow[n] = row;
        return n + 1;
    }

    /** y = Σ queued coef·row. */
    private void combine(float[] y, int n) {
        if (vector) {
            VectorKernels.combine(y, d, termCoef, termRow, n);
            return;
        }
        Arrays.fill(y, 0f);
        for (int j = 0; j < n; j++) {
            float a = termCoef[j];
            float[] r = termRow[j];
            for (int k = 0; k < d; k++) {
                y[k] += a * r[k];
            }
        }
    }

    void scatter(Relation r) {
        int n = 0;
        for (int i = 0; i < c; i++) {
            n = term(n, 1f, gu[i]);
        }
        for (int j = inS; j < nS; j++) {
            n = term(n, 1f, gns[j]);
        }
        combine(gr, n);
        // row-wise Adagrad in three passes (squared norms, accumulators and step sizes, updates), so the long
        // dependency chain of one row's update does not hold up the next row's
        int m = 0;
        for (int i = 0; i < c; i++) {
            upNode[m] = sNode[i];
            upGrad[m++] = gu[i];
            upNode[m] = tNode[i];
            upGrad[m++] = gt[i];
        }
        for (int j = inT; j < nT; j++) {
            upNode[m] = negTNode[j];
            upGrad[m++] = gnt[j];
        }
        for (int j = inS; j < nS; j++) {
            upNode[m] = negSNode[j];
            upGrad[m++] = gns[j];
        }
        float invD = 1f / d;
        for (int x = 0; x < m; x++) {
            upScale[x] = rowSumSquares(upGrad[x]) * invD;
        }
        for (int x = 0; x < m; x++) {
            float ss = upScale[x];
            if (ss == 0f) {
                continue;
            }
            int node = upNode[x];
            float a = acc[node] + ss;
            acc[node] = a;
            upScale[x] = -lr / ((float) Math.sqrt(a) + EPS);
        }
        for (int x = 0; x < m; x++) {
            float scale = upScale[x];
            if (scale != 0f) {
                update(upNode[x], upGrad[x], scale);
            }
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

    private void update(int node, float[] grad, float scale) {
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

    private void axpy(float a, float[] x, float[] y) {
        if (vector) {
            VectorKernels.axpy(a, x, y, d);
        } else {
            for (int k = 0; k < d; k++) {
                y[k] += a * x[k];
            }
        }
    }

    private float rowSumSquares(float[] x) {
        if (vector) {
            return VectorKernels.sumSquares(x, d);
        }
        float s = 0f;
        for (int k = 0; k < d; k++) {
            s += x[k] * x[k];
        }
        return s;
    }
}
