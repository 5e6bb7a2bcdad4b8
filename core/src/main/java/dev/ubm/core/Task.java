package dev.ubm.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The six evaluation tasks of the challenge with their leaderboard names. Binary tasks share one label rule
 * (1 = no product_buy in the window); propensity tasks are multi-hot over a target list in {@code target/}.
 */
public enum Task {
    CHURN("churn", "churn", null, null),
    PROPENSITY_CATEGORY("propensity_category", "propensity_category", "category", "propensity_category"),
    PROPENSITY_SKU("propensity_sku", "propensity_sku", "sku", "propensity_sku"),
    CONVERSION("conversion", "hidden1", null, null),
    PROPENSITY_NEW_SKU("propensity_new_sku", "hidden2", "sku", "propensity_new_sku"),
    PROPENSITY_PRICE("propensity_price", "hidden3", "price", "propensity_price");

    private final String cliName;
    private final String scoreKey;
    private final String targetColumn;
    private final String listStem;

    Task(String cliName, String scoreKey, String targetColumn, String listStem) {
        this.cliName = cliName;
        this.scoreKey = scoreKey;
        this.targetColumn = targetColumn;
        this.listStem = listStem;
    }

    /** Name used on the command line, as in the organisers' scripts. */
    public String cliName() {
        return cliName;
    }

    /** Key in scores.json (the leaderboard name: hidden1..3 for the hidden tasks). */
    public String scoreKey() {
        return scoreKey;
    }

    public boolean isBinary() {
        return targetColumn == null;
    }

    /** Only churn is restricted to active clients (≥1 product_buy in the input). */
    public boolean activeClientsOnly() {
        return this == CHURN;
    }

    /** Column of the target window whose values are matched against the target list (sku, category, price). */
    public String targetColumn() {
        if (isBinary()) {
            throw new IllegalStateException(cliName + " has no target column");
        }
        return targetColumn;
    }

    /** File stem of the target list in target/, e.g. propensity_sku (.npy); popularity file is popularity_ + stem. */
    public String listStem() {
        if (isBinary()) {
            throw new IllegalStateException(cliName + " has no target list");
        }
        return listStem;
    }

    public String popularityStem() {
        return "popularity_" + listStem();
    }

    /** Number of probe outputs for a target list of the given size. */
    public int outputs(int listSize) {
        return isBinary() ? 1 : listSize;
    }

    public static Task ofName(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (Task t : values()) {
            if (t.cliName.equals(n) || t.scoreKey.equals(n)) {
                return t;
            }
        }
        throw new BadInputException("unknown task '" + name + "' (expected one of " + String.join(", ", names()) + ")");
    }

    public static List<String> names() {
        List<String> out = new ArrayList<>();
        for (Task t : values()) {
            out.add(t.cliName);
        }
        return out;
    }
}
