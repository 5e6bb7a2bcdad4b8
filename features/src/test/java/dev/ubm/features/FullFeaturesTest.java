package dev.ubm.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ubm.core.BlockDir;
import dev.ubm.core.ChallengeDataDir;
import dev.ubm.core.Progress;
import dev.ubm.core.StageListener;
import dev.ubm.data.Npy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FullFeaturesTest {
    @TempDir
    static Path tmp;
    static ChallengeDataDir data;
    static Block block;
    static BlockDir.Meta meta;

    /** A feature block read back: ids, matrix and a name → column index. */
    record Block(long[] ids, Npy.FloatMatrix x, List<String> names) {
        static Block read(Path dir) throws Exception {
            BlockDir b = new BlockDir(dir);
            return new Block(Npy.readLongs(b.clientIdsFile()), Npy.readFloats(b.embeddingsFile()),
                    Files.readAllLines(dir.resolve(FeatureBlocks.FEATURE_NAMES)));
        }

        double get(long client, String name) {
            int col = names.indexOf(name);
            assertTrue(col >= 0, "no feature " + name);
            for (int r = 0; r < ids.length; r++) {
                if (ids[r] == client) {
                    return x.get(r, col);
                }
            }
            throw new AssertionError("no row for client " + client);
        }
    }

    @BeforeAll
    static void build() throws Exception {
        Progress.setEnabled(false);
        data = TinyWorld.threeClients().write(tmp.resolve("data"));
        meta = FeatureBlocks.run(data, FeatureConfig.defaults(FeatureSet.FULL, 7), tmp.resolve("emb"),
                StageListener.NONE);
        block = Block.read(tmp.resolve("emb"));
    }

    @Test
    void everyRelevantClientGetsOneRowAndNoOtherClientDoes() {
        assertArrayEquals(new long[] {1, 2, 3}, block.ids());
        assertEquals(3, block.x().rows());
        assertEquals(block.names().size(), block.x().cols());
        assertEquals(3, meta.rows());
    }

    @Test
    void aFewHundredNamedFeatures() {
        // with 100-item target lists (the real ones) the target groups add 2 x 102 + 102 + 102 columns to these
        long general = block.names().stream()
                .filter(n -> !n.startsWith("tcat") && !n.startsWith("tsku") && !n.startsWith("tnew")).count();
        assertTrue(general >= 240, "only " + general + " features");
        assertEquals(2 * 2 + 2 + 2 + 2 + 3 + 2, block.names().size() - general);
        assertEquals(block.names().size(), meta.dims());
        assertEquals("features", meta.component());
        assertEquals(block.names(), meta.config().get("feature_names"));
        assertEquals(block.names().size(), block.names().stream().distinct().count());
    }

    @Test
    void countsPerWindowMatchHandCounts() {
        assertEquals(1, block.get(1, "cnt_buy_1d"));
        assertEquals(1, block.get(1, "cnt_add_1d"));
        assertEquals(2, block.get(1, "cnt_add_7d"));
        assertEquals(1, block.get(1, "cnt_visit_14d"));
        // the visit at 2022-06-01 00:00:00 is exactly 30 days before the cutoff: inside the 30-day window
        assertEquals(2, block.get(1, "cnt_visit_30d"));
        assertEquals(7, block.get(1, "cnt_any_all"));
        assertEquals(0, block.get(2, "cnt_visit_60d"));
        assertEquals(1, block.get(2, "cnt_visit_all"));
        assertEquals(0, block.get(3, "cnt_any_all"));
    }

    @Test
    void recencyAndTenureInDays() {
        assertEquals(14 / 24.0, block.get(1, "recency_buy_days"), 1e-5);
        assertEquals(10.5, block.get(1, "recency_search_days"), 1e-5);
        assertEquals(30, block.get(1, "tenure_visit_days"), 1e-5);
        assertEquals(60.5, block.get(2, "recency_any_days"), 1e-5);
        // a type never seen, and a client without events, get the horizon: ceil(60.5) days of history
        assertEquals(61, block.get(2, "recency_buy_days"), 1e-6);
        assertEquals(61, block.get(3, "recency_any_days"), 1e-6);
        assertEquals(61.0, ((Number) meta.config().get("horizon_days")).doubleValue());
    }

    @Test
    void decayedTargetCountsMatchHandValues() {
        double buyAge = 14 / 24.0;
        double addAge = (14 + 10 / 60.0) / 24.0;
        assertEquals(Math.exp(-buyAge / 14) + Math.exp(-addAge / 14), block.get(1, "tcat_10"), 1e-5);
        assertEquals(Math.exp(-buyAge / 60), block.get(1, "tcatbuy_10"), 1e-5);
        assertEquals(0, block.get(1, "tcat_12"));
        double removeAge = 4 + 16 / 24.0;
        assertEquals(Math.exp(-5.5 / 14) + Math.exp(-removeAge / 14), block.get(1, "tsku_101"), 1e-5);
        assertEquals(0, block.get(2, "tsku_100"));
    }

    @Test
    void newSkuColumnsCountTheClientsEventsInTheNewSkusCategoryByListPosition() {
        double buyAge = 14 / 24.0;
        double addAge = (14 + 10 / 60.0) / 24.0;
        double removeAge = 4 + 16 / 24.0;
        double cat10 = Math.exp(-buyAge / 14) + Math.exp(-addAge / 14);
        double cat11 = Math.exp(-5.5 / 14) + Math.exp(-removeAge / 14);
        assertEquals(cat10, block.get(1, "tnew_0"), 1e-5); // sku 103, category 10
        assertEquals(0, block.get(1, "tnew_1")); // sku 105 has no category
        assertEquals(cat11, block.get(1, "tnew_2"), 1e-5); // sku 104, category 11
        assertEquals(cat10 + cat11, block.get(1, "tnew_total"), 1e-5);
        assertEquals(2, block.get(1, "tnew_distinct"));
        assertEquals(0, block.get(2, "tnew_total"));
        assertEquals("3 skus, 1 without a category in product_properties (their tnew columns are 0)",
                meta.config().get("target_new_sku_list"));
    }

    @Test
    void clientsWithoutHistoryGetZerosAndTheIndicator() {
        assertEquals(1, block.get(3, "no_history"));
        assertEquals(0, block.get(1, "no_history"));
        assertEquals(0, block.get(2, "no_history"));
        int zeros = 0;
        for (String n : block.names()) {
            if (block.get(3, n) == 0) {
                zeros++;
            }
        }
        // everything but the indicator and the horizon-valued recency / gap features is 0
        assertTrue(zeros > block.names().size() - 20, zeros + " zeros of " + block.names().size());
        assertEquals(1L, ((Number) meta.config().get("clients_without_history")).longValue());
    }

    @Test
    void cartSessionsActivityPriceAndQueries() {
        assertEquals(0.5, block.get(1, "buy_per_add"), 1e-6);
        assertEquals(0.5, block.get(1, "remove_per_add"), 1e-6);
        assertEquals(0.5, block.get(1, "added_sku_bought_share"), 1e-6);
        assertEquals(0, block.get(1, "open_cart_skus"));
        assertEquals(5, block.get(1, "sessions_all"));
        assertEquals(0.2, block.get(1, "session_buy_share"), 1e-6);
        assertEquals(5, block.get(1, "active_days_all"));
        assertEquals(3, block.get(1, "active_days_7d"));
        assertEquals(50, block.get(1, "price_buy_mean"), 1e-6);
        assertEquals(70, block.get(1, "price_add_mean"), 1e-6);
        assertEquals(0.5, block.get(1, "price_add_q4"), 1e-6);
        assertEquals(1, block.get(1, "query_mean_0"), 1e-6);
        assertEquals(16, block.get(1, "query_mean_15"), 1e-6);
        assertEquals(2 / 7.0, block.get(1, "hour_share_9"), 1e-6);
        assertEquals(3 / 7.0, block.get(1, "dow_share_3"), 1e-6); // 2022-06-30 is a Thursday
        assertEquals(2, block.get(1, "distinct_url"));
    }

    @Test
    void chunkingDoesNotChangeTheBlock() throws Exception {
        FeatureBlocks.run(data, FeatureConfig.defaults(FeatureSet.FULL, 7), tmp.resolve("emb2"), StageListener.NONE, 2);
        Block b2 = Block.read(tmp.resolve("emb2"));
        assertEquals(block.names(), b2.names());
        for (long id : block.ids()) {
            for (String n : block.names()) {
                assertEquals(block.get(id, n), b2.get(id, n), 1e-6, n + " of client " + id);
            }
        }
    }

    @Test
    void withoutTargetListsTheTargetGroupsAreSkippedAndSaid() throws Exception {
        ChallengeDataDir noTargets = TinyWorld.threeClients().targets(null, null).newSkus(null).write(tmp.resolve("data-nt"));
        BlockDir.Meta m = FeatureBlocks.run(noTargets, FeatureConfig.defaults(FeatureSet.FULL, 7), tmp.resolve("emb-nt"),
                StageListener.NONE);
        Map<String, Object> cfg = m.config();
        assertEquals(List.of("tcat", "tsku", "tnew"), cfg.get("skipped_groups"));
        assertTrue(String.valueOf(cfg.get("target_category_list")).startsWith("absent"));
        @SuppressWarnings("unchecked")
        List<String> names = (List<String>) cfg.get("feature_names");
        assertFalse(names.stream().anyMatch(n -> n.startsWith("tcat") || n.startsWith("tsku") || n.startsWith("tnew")));
    }

    @Test
    void writesTheSqlAndTheBlockMetadata() throws Exception {
        String sql = Files.readString(tmp.resolve("emb").resolve(FeatureBlocks.FEATURE_SQL));
        assertTrue(sql.contains("CREATE OR REPLACE TABLE ev AS"), sql.substring(0, 200));
        assertFalse(sql.contains("${"));
        assertTrue(new BlockDir(tmp.resolve("emb")).isComplete());
        assertFalse(Files.exists(tmp.resolve("emb").resolve(".duckdb-spill")));
        assertEquals("2022-07-01 00:00:00", meta.config().get("cutoff"));
        assertEquals(7L, meta.seed());
        assertEquals(8L, ((Number) meta.config().get("events")).longValue()); // client 4 is not relevant
    }
}
