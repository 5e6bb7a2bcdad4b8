package dev.ubm.data.synth;

import dev.ubm.core.BadInputException;
import dev.ubm.core.ConfigMap;
import dev.ubm.data.SplitWindows;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything that shapes a synthetic world; two equal configs generate byte-identical files. Build one with
 * {@link #of} (catalog sizes derived from the number of clients), {@link #defaults()} or {@link #tiny} (tests).
 *
 * @param clients        distinct clients with at least one event
 * @param relevantClients clients listed in input/relevant_clients.npy (fewer than {@code clients})
 * @param days           simulated days; the last 28 become the train and validation target windows
 * @param seed           seed of every random draw
 * @param skus           catalog size (only SKUs that occur are written to product_properties)
 * @param categories     number of categories
 * @param tasteClusters  latent taste clusters users are drawn from
 * @param newSkuDays     the new-SKU cohort is released over the last {@code newSkuDays} days (1..28, so after the input)
 * @param newSkuShare    share of the catalog that belongs to the new-SKU cohort
 * @param oracleDraws    K: independent futures of the validation window written to oracle/futures.parquet
 * @param start          first simulated day
 * @param activity       multiplier on every client's session rate (1 = default; scales event volume)
 * @param profile        the mechanisms the world plants ({@link Profile#DEFAULT}: the original world)
 */
public record SynthConfig(int clients, int relevantClients, int days, long seed, int skus, int categories,
        int tasteClusters, int newSkuDays, double newSkuShare, int oracleDraws, LocalDate start, double activity,
        Profile profile) {
    /** Days of the two target windows the organisers' split cuts off the end (train + validation). */
    public static final int TARGET_DAYS = 2 * SplitWindows.DAYS_IN_TARGET;
    /** Fewest input days before the target windows. */
    public static final int MIN_INPUT_DAYS = 7;
    public static final LocalDate DEFAULT_START = LocalDate.of(2022, 6, 1);

    public SynthConfig {
        require(clients >= 2, "clients must be at least 2, got " + clients);
        require(relevantClients >= 1 && relevantClients < clients,
                "relevant clients must be in 1.." + (clients - 1) + " (fewer than clients), got " + relevantClients);
        require(days >= TARGET_DAYS + MIN_INPUT_DAYS, "days must be at least " + (TARGET_DAYS + MIN_INPUT_DAYS)
                + " (28 target days + 7 input days), got " + days);
        require(days <= 3650, "days must be at most 3650, got " + days);
        require(categories >= 2, "categories must be at least 2, got " + categories);
        require(skus >= categories, "skus (" + skus + ") must be at least categories (" + categories + ")");
        require(tasteClusters >= 1 && tasteClusters <= categories,
                "taste clusters must be in 1..categories, got " + tasteClusters);
        require(newSkuDays >= 1 && newSkuDays <= TARGET_DAYS,
                "new-SKU days must be in 1.." + TARGET_DAYS + " (after the input period), got " + newSkuDays);
        require(newSkuShare >= 0 && newSkuShare < 0.5, "new-SKU share must be in [0, 0.5), got " + newSkuShare);
        require(oracleDraws >= 1 && oracleDraws <= 1000, "oracle draws must be in 1..1000, got " + oracleDraws);
        require(start != null, "start date is required");
        require(activity > 0 && activity <= 100, "activity must be in (0, 100], got " + activity);
        require(profile != null, "profile is required");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new BadInputException(message);
        }
    }

    /** Default K: at 20 draws most rare labels tie at 0 and the oracle's propensity AUROC drops by ~0.1. */
    public static final int DEFAULT_ORACLE_DRAWS = 100;

    /**
     * A world with catalog sizes derived from the number of clients (about 15 clients per SKU, 30 SKUs per
     * category, at least 100 categories) and {@link #DEFAULT_ORACLE_DRAWS} oracle draws.
     */
    public static SynthConfig of(int clients, int relevantClients, int days, long seed) {
        int skus = (int) Math.max(300, Math.min(2_000_000, clients / 15L));
        int categories = Math.max(100, Math.min(7000, skus / 30));
        return new SynthConfig(clients, relevantClients, days, seed, skus, Math.min(categories, skus), 8, 21, 0.12,
                DEFAULT_ORACLE_DRAWS, DEFAULT_START, 1.0, Profile.DEFAULT);
    }

    /** The default world of {@code ubm synth}: 50,000 clients, 10,000 relevant, 150 days, seed 42. */
    public static SynthConfig defaults() {
        return of(50_000, 10_000, 150, 42);
    }

    /**
     * A world for tests: 1,000 clients (400 relevant), 60 days, twice the default activity so that even this
     * small world has over a hundred active relevant clients; generates in a second or two.
     */
    public static SynthConfig tiny(long seed) {
        return of(1000, 400, 60, seed).withActivity(2.0);
    }

    public SynthConfig withOracleDraws(int k) {
        return new SynthConfig(clients, relevantClients, days, seed, skus, categories, tasteClusters, newSkuDays,
                newSkuShare, k, start, activity, profile);
    }

    public SynthConfig withActivity(double a) {
        return new SynthConfig(clients, relevantClients, days, seed, skus, categories, tasteClusters, newSkuDays,
                newSkuShare, oracleDraws, start, a, profile);
    }

    public SynthConfig withSeed(long s) {
        return new SynthConfig(clients, relevantClients, days, s, skus, categories, tasteClusters, newSkuDays,
                newSkuShare, oracleDraws, start, activity, profile);
    }

    public SynthConfig withProfile(Profile p) {
        return new SynthConfig(clients, relevantClients, days, seed, skus, categories, tasteClusters, newSkuDays,
                newSkuShare, oracleDraws, start, activity, p);
    }

    /** Day index (0-based) of the first day of the validation window. */
    public int validationStartDay() {
        return days - SplitWindows.DAYS_IN_TARGET;
    }

    /** Day index of the first day of the train target window (the end of the input period). */
    public int trainStartDay() {
        return days - TARGET_DAYS;
    }

    /** The config as a JSON-ready map (run.json, oracle.json). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("clients", clients);
        m.put("relevant_clients", relevantClients);
        m.put("days", days);
        m.put("seed", seed);
        m.put("skus", skus);
        m.put("categories", categories);
        m.put("taste_clusters", tasteClusters);
        m.put("new_sku_days", newSkuDays);
        m.put("new_sku_share", newSkuShare);
        m.put("oracle_draws", oracleDraws);
        m.put("start", start.toString());
        m.put("activity", activity);
        m.put("profile", profile.label());
        return m;
    }

    /** The config {@link #toMap()} wrote (run.json, oracle.json); a map without "profile" is the default profile. */
    public static SynthConfig fromMap(Map<String, Object> map) {
        ConfigMap m = ConfigMap.of(map, "synth config");
        return new SynthConfig(m.getInt("clients"), m.getInt("relevant_clients"), m.getInt("days"), m.getLong("seed"),
                m.getInt("skus"), m.getInt("categories"), m.getInt("taste_clusters"), m.getInt("new_sku_days"),
                m.getDouble("new_sku_share"), m.getInt("oracle_draws"), LocalDate.parse(m.getString("start")),
                m.getDouble("activity"), m.has("profile") ? Profile.of(m.getString("profile")) : Profile.DEFAULT);
    }
}
