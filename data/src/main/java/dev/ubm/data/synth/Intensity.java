package dev.ubm.data.synth;

import java.util.Arrays;

/**
 * The oracle's intensities. Along each simulated path of the validation window it integrates, per label, the
 * hazard that the simulator's own rules give a buy of that label, instead of recording the 0/1 outcome:
 * a day with Poisson(λ) generic sessions adds λ · P(a session buys the label) (the category mixture of
 * {@link Simulator#categoryMix} in the state at the start of the day, the sku choice of
 * {@link Simulator#skuChoice}, the cart and checkout probabilities; with the circles profile a share of the sessions
 * browse the client's circle instead), a pending intent that falls due adds
 * −log(1 − P(it ends in a buy)). The label's probability on the path is 1 − exp(−hazard); the oracle averages it
 * over the K paths. Labels are groups of skus ({@code skuLabel[s]}: a label index or −1), so the same code serves
 * "any buy" (churn, conversion), skus, categories and price buckets. Within a day the state is the one at the
 * start of the day, and the sku choice is exact to second order (docs/synth.md). It is the sink of a future path:
 * it hears the sessions and the intents that fall due, not the events.
 */
final class Intensity implements Simulator.Sink {
    private static final double KEPT_AND_BOUGHT = (1 - Simulator.CART_REMOVE) * Simulator.BUY_AT_CHECKOUT;

    private final Catalog cat;
    private final Simulator sim;
    private final int[] skuLabel;
    private final int nLabels;
    private final int fromDay;
    private final int days;
    // per client: label probabilities of one generic session per (day, category), in CSR form per day; the slot
    // after the last category (nCat) holds one circle session of the client's circle
    private final int[][] offsets;
    private int[][] labels;
    private double[][] probs;
    /** Per day: P(a session buys label L) when the category follows the client's traits only. */
    private final double[][] traitQ;
    private final double[] traitW;
    private final Simulator.Mix mix = new Simulator.Mix();
    // scratch
    private final double[] choice;
    private final int[] browseSku;
    private final double[] browseP;
    private final double[] ell;
    private final double[] comp;
    private final double[] second;
    private final double[] out;
    private final int[] touched;
    private final boolean[] isTouched;
    private final double[] q;
    // current path and the sum over paths
    private final double[] hazard;
    private final double[] sumP;
    private int paths;

    /** Intensities over days [fromDay, days) for the labels of {@code skuLabel} (length = catalog size). */
    Intensity(Catalog cat, Simulator sim, int[] skuLabel, int nLabels, int fromDay, int days) {
        this.cat = cat;
        this.sim = sim;
        this.skuLabel = skuLabel;
        this.nLabels = nLabels;
        this.fromDay = fromDay;
        this.days = days;
        int nd = days - fromDay;
        offsets = new int[nd][cat.nCat + 2];
        labels = new int[nd][64];
        probs = new double[nd][64];
        traitQ = new double[nd][nLabels];
        traitW = new double[cat.nCat];
        int widest = 1;
        for (int k = 0; k < cat.nCat; k++) {
            widest = Math.max(widest, cat.catEnd[k] - cat.catStart[k]);
        }
        for (int i = 0; i < cat.nCircles; i++) {
            widest = Math.max(widest, cat.circleStart[i + 1] - cat.circleStart[i]);
        }
        choice = new double[widest];
        browseSku = new int[widest];
        browseP = new double[widest];
        ell = new double[nLabels];
        comp = new double[nLabels];
        second = new double[nLabels];
        out = new double[nLabels];
        touched = new int[nLabels];
        isTouched = new boolean[nLabels];
        q = new double[nLabels];
        hazard = new double[nLabels];
        sumP = new double[nLabels];
    }

    /** The labels where every sku is one label (index 0): "buys anything". */
    static int[] anyBuy(Catalog cat) {
        return new int[cat.nSku];
    }

    /** Prepares the per-session label probabilities of client c (its traits) and forgets earlier paths. */
    void beginClient(Client c) {
        Arrays.fill(sumP, 0);
        paths = 0;
        if (c.bot) {
            return;
        }
        sim.traitMix(c, traitW);
        for (int d = fromDay; d < days; d++) {
            int di = d - fromDay;
            Arrays.fill(traitQ[di], 0);
            int n = 0;
            for (int k = 0; k < cat.nCat; k++) {
                offsets[di][k] = n;
                if (di > 0 && cat.releasedEnd(k, d) == cat.releasedEnd(k, d - 1)
                        && cat.firstReleaseAfter(k, d - Catalog.RECENT_DAYS)
                        == cat.firstReleaseAfter(k, d - 1 - Catalog.RECENT_DAYS)) {
                    // the same released and recent skus as yesterday: the same session probabilities
                    int from = offsets[di - 1][k];
                    int len = offsets[di - 1][k + 1] - from;
                    ensure(di, n + len);
                    System.arraycopy(labels[di - 1], from, labels[di], n, len);
                    System.arraycopy(probs[di - 1], from, probs[di], n, len);
                    n += len;
                } else {
                    n = session(c, k, d, di, n);
                }
                for (int e = offsets[di][k]; e < n; e++) {
                    traitQ[di][labels[di][e]] += traitW[k] * probs[di][e];
                }
            }
            offsets[di][cat.nCat] = n;
            if (c.circle >= 0) {
                int m = cat.circleReleased(c.circle, d);
                if (di > 0 && m == cat.circleReleased(c.circle, d - 1)) {
                    int from = offsets[di - 1][cat.nCat];
                    int len = offsets[di - 1][cat.nCat + 1] - from;
                    ensure(di, n + len);
                    System.arraycopy(labels[di - 1], from, labels[di], n, len);
                    System.arraycopy(probs[di - 1], from, probs[di], n, len);
                    n += len;
                } else if (m > 0) {
                    n = circleSession(c, m, d, di, n);
                }
            }
            offsets[di][cat.nCat + 1] = n;
        }
    }

    private void ensure(int di, int size) {
        if (size > labels[di].length) {
            int cap = Math.max(size, 2 * labels[di].length);
            labels[di] = Arrays.copyOf(labels[di], cap);
            probs[di] = Arrays.copyOf(probs[di], cap);
        }
    }

    void beginPath() {
        Arrays.fill(hazard, 0);
    }

    @Override
    public boolean wantsQueries() {
        return false;
    }

    @Override
    public boolean wantsIntensities() {
        return true;
    }

    /** Adds a day's generic sessions in client c's current state. */
    @Override
    public void sessions(Client c, int d, double expected, int forced) {
        if (c.bot || d < fromDay || d >= days) {
            return;
        }
        int di = d - fromDay;
        double rest = sim.categoryMix(c, mix);
        // a circle session whenever the circle has a released sku (the simulator's rule)
        double circle = c.circle >= 0 && cat.circleReleased(c.circle, d) > 0 ? cat.profile.circle : 0;
        if (forced == 0) {
            addSessions(di, rest, circle, expected, hazard);
            return;
        }
        Arrays.fill(q, 0);
        addSessions(di, rest, circle, 1, q);
        for (int l = 0; l < nLabels; l++) {
            hazard[l] += expected * q[l] - forced * Math.log1p(-Math.min(q[l], 1 - 1e-12));
        }
    }

    /** Adds {@code scale} sessions: a share {@code circle} are circle sessions, the rest follow the category mix. */
    private void addSessions(int di, double rest, double circle, double scale, double[] into) {
        double[] tq = traitQ[di];
        double generic = (1 - circle) * scale;
        double a = rest * generic;
        for (int l = 0; l < nLabels; l++) {
            into[l] += a * tq[l];
        }
        for (int i = 0; i < mix.n; i++) {
            int k = mix.cat[i];
            double w = mix.w[i] * generic;
            for (int e = offsets[di][k]; e < offsets[di][k + 1]; e++) {
                into[labels[di][e]] += w * probs[di][e];
            }
        }
        double w = circle * scale;
        for (int e = offsets[di][cat.nCat]; e < offsets[di][cat.nCat + 1]; e++) {
            into[labels[di][e]] += w * probs[di][e];
        }
    }

    /**
     * Adds a pending intent that falls due on day d. An intent made inside the window by a buy of the same label
     * is left out: the label's probability is that of its first buy, and before that first buy such an intent
     * cannot exist (the path's later buys of a label would otherwise count the label twice).
     */
    @Override
    public void due(Client c, int d, int sku, double buyProbability, int origin, int made) {
        int l = skuLabel[sku];
        if (made >= fromDay && skuLabel[origin] == l) {
            return;
        }
        if (l >= 0 && buyProbability > 0 && d >= fromDay && d < days) {
            hazard[l] -= Math.log1p(-buyProbability);
        }
    }

    void endPath() {
        for (int l = 0; l < nLabels; l++) {
            sumP[l] += -Math.expm1(-hazard[l]);
        }
        paths++;
    }

    /** P(the client buys label l in the window), averaged over the paths since {@link #beginClient}. */
    double probability(int l) {
        return paths == 0 ? 0 : sumP[l] / paths;
    }

    /**
     * Appends to day di's CSR the labels that one generic session in category k on day d buys, with
     * P(at least one buy of the label): the session is no bounce and reaches the cart (buyer), the cart holds the
     * last browsed sku, maybe a complement and maybe the sku browsed before it, each kept and bought at checkout.
     */
    private int session(Client c, int k, int d, int di, int n) {
        int from = cat.catStart[k];
        int end = cat.releasedEnd(k, d);
        int recent = cat.firstReleaseAfter(k, d - Catalog.RECENT_DAYS);
        double novel = recent < end
                ? c.novelty * (cat.clusterAdopter[c.cluster] ? Simulator.NOVEL_ADOPTER : Simulator.NOVEL_OTHER) : 0;
        sim.skuChoice(c, from, end, choice);
        int nt = 0;
        double recentPop = recent < end ? cat.skuCum[end - 1] - (recent == 0 ? 0 : cat.skuCum[recent - 1]) : 0;
        for (int type = 0; type < 2; type++) {
            double weight = type == 0 ? 1 - novel : novel;
            if (weight <= 0) {
                continue;
            }
            // g: the distribution of one browsed sku in this kind of session (browses are independent draws)
            for (int i = 0; i < end - from; i++) {
                int s = from + i;
                double g = choice[i];
                if (type == 1) {
                    g *= 1 - Simulator.NOVEL_BROWSE;
                    if (s >= recent) {
                        g += Simulator.NOVEL_BROWSE * (cat.skuCum[s] - (s == 0 ? 0 : cat.skuCum[s - 1])) / recentPop;
                    }
                }
                browseSku[i] = s;
                browseP[i] = g;
            }
            nt = browse(c, d, end - from, weight, nt);
        }
        return emit(di, n, nt);
    }

    /**
     * Appends to day di's CSR the labels that one circle session on day d buys: the browsed skus are uniform over
     * the m released skus of the client's circle, the cart and checkout are those of a generic session.
     */
    private int circleSession(Client c, int m, int d, int di, int n) {
        int from = cat.circleStart[c.circle];
        for (int i = 0; i < m; i++) {
            browseSku[i] = cat.circleSkus[from + i];
            browseP[i] = 1.0 / m;
        }
        return emit(di, n, browse(c, d, m, 1, 0));
    }

    /**
     * Adds into {@code out}, for a kind of session with weight {@code weight} whose browses are independent draws
     * from g ({@code browseP} over {@code browseSku}, n skus), P(at least one buy of each label): the session is no
     * bounce and reaches the cart (buyer), the cart holds the last browsed sku, maybe a complement and maybe the sku
     * browsed before it, each kept and bought at checkout. The cart's "second" is the latest browse unlike the last
     * one: with the last = s it exists with probability 1 − E[g_s^(B−1)] = 1 − stop / (1 − (1 − stop) g_s) and is
     * then s' ≠ s w.p. g_s' / (1 − g_s). Returns the number of touched labels.
     */
    private int browse(Client c, int d, int n, double weight, int nt) {
        double secondAny = 0;
        for (int i = 0; i < n; i++) {
            int s = browseSku[i];
            double g = browseP[i];
            double exists = g >= 1 ? 0 : g * (1 - Simulator.BROWSE_STOP / (1 - (1 - Simulator.BROWSE_STOP) * g))
                    / (1 - g);
            secondAny += exists;
            int l = skuLabel[s];
            if (l >= 0) {
                nt = touch(l, nt);
                ell[l] += g;
                second[l] -= exists * g;
            }
            for (int j = 0; j < 2; j++) {
                int y = cat.skuComp[2 * s + j];
                int ly = skuLabel[y];
                if (ly >= 0 && y != s && cat.released(y, d)) {
                    nt = touch(ly, nt);
                    comp[ly] += g * Simulator.CART_COMPLEMENT / 2;
                }
            }
        }
        double reach = (1 - Simulator.BOUNCE) * c.buyer * Simulator.CHECKOUT;
        for (int t = 0; t < nt; t++) {
            int l = touched[t];
            // P(second in l) = Σ_s g_s exists_s (ℓ_l − g_s [s ∈ l]) / (1 − g_s)
            double sec = Simulator.CART_SECOND * Math.max(0, secondAny * ell[l] + second[l]);
            double none = (1 - KEPT_AND_BOUGHT * ell[l]) * (1 - KEPT_AND_BOUGHT * comp[l])
                    * (1 - KEPT_AND_BOUGHT * sec);
            out[l] += weight * reach * (1 - none);
            ell[l] = 0;
            comp[l] = 0;
            second[l] = 0;
        }
        return nt;
    }

    /** Appends the touched labels with their probabilities in {@code out} to day di's CSR and clears them. */
    private int emit(int di, int n, int nt) {
        for (int t = 0; t < nt; t++) {
            int l = touched[t];
            isTouched[l] = false;
            if (out[l] > 0) {
                ensure(di, n + 1);
                labels[di][n] = l;
                probs[di][n++] = out[l];
            }
            out[l] = 0;
        }
        return n;
    }

    private int touch(int l, int nt) {
        if (!isTouched[l]) {
            isTouched[l] = true;
            touched[nt++] = l;
        }
        return nt;
    }
}
