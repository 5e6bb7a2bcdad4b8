package dev.ubm.submission;

import dev.ubm.core.BadInputException;

import java.util.Locale;

/** How {@code ubm combine} scales a block before concatenation. */
public enum Scaling {
    /** Raw values (the organisers' baseline was submitted like this). */
    NONE,
    /** Per column: (x - mean) / std, optionally clipped; constant columns become 0. */
    STANDARD,
    /** Per column: the empirical CDF (sklearn QuantileTransformer, uniform output in [0, 1], ties at their mid-rank). */
    QUANTILE,
    /**
     * Per row: scaled to norm sqrt(dims) (zero rows stay zero); for learned embedding blocks. The sqrt(dims) puts a
     * learned block's columns on the scale of standardised feature columns (unit mean square): with unit-norm rows a
     * 64-dim block beside 553 standardised features gave the probe too little signal to pick up (the fast probe
     * of all four blocks: category 0.721 vs 0.745, mean AUROC 0.749 vs 0.755, default world).
     */
    L2;

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Scaling ofName(String s) {
        String n = s.trim().toLowerCase(Locale.ROOT);
        for (Scaling x : values()) {
            if (x.cliName().equals(n) || (x == STANDARD && n.equals("standardise")) || (x == STANDARD && n.equals("z"))) {
                return x;
            }
        }
        throw new BadInputException("unknown scaling '" + s + "' (expected none, standard, quantile or l2)");
    }

    /**
     * The default for a block made by a component: feature blocks (features, baseline), the graph's target walks
     * alone (gnn-walks: count-like sums that grow with activity, which row scaling would throw away) and blocks without
     * block.json are standardised, learned blocks L2-normalised. Standard beat quantile on the feature blocks (propensity_sku
     * AUROC 0.84 vs 0.63 for the full set on the default world): the quantile map squeezes the non-zero values of the
     * sparse per-target features into the top percent of [0, 1], keeping little more than presence. A submission
     * (the output of {@code ubm combine}) is already scaled and weighted, so it is taken as it is: probed beside other
     * blocks ({@code ubm ablate --compare}) it is the vector {@code ubm probe} scores.
     */
    public static Scaling defaultFor(String component) {
        if (component == null) {
            return STANDARD;
        }
        return switch (component) {
            case "features", "baseline", "gnn-walks" -> STANDARD;
            case Combiner.COMPONENT -> NONE;
            default -> L2;
        };
    }
}
