package dev.ubm.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ubm.core.BlockDir;
import dev.ubm.core.ChallengeDataDir;
import dev.ubm.core.Progress;
import dev.ubm.core.StageListener;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BaselineFeaturesTest {
    @TempDir
    static Path tmp;
    static ChallengeDataDir data;
    static FullFeaturesTest.Block block;
    static BlockDir.Meta meta;

    @BeforeAll
    static void build() throws Exception {
        Progress.setEnabled(false);
        data = TinyWorld.threeClients().write(tmp.resolve("data"));
        meta = FeatureBlocks.run(data, FeatureConfig.defaults(FeatureSet.BASELINE, 1), tmp.resolve("emb"),
                StageListener.NONE);
        block = FullFeaturesTest.Block.read(tmp.resolve("emb"));
    }

    @Test
    void hasTheOrganisersThreeHundredTwentyDimsInTheirBlockOrder() {
        assertEquals(320, block.x().cols());
        assertEquals(320, meta.dims());
        assertEquals("baseline", meta.component());
        List<String> n = block.names();
        assertEquals("buy_count", n.get(0));
        assertEquals("buy_1d_sku_top0", n.get(1));
        assertEquals("buy_1d_category_top0", n.get(11));
        assertEquals("buy_7d_sku_top0", n.get(31));
        assertEquals("search_query_mean_0", n.get(91));
        assertEquals("add_count", n.get(107));
        assertEquals("remove_count", n.get(198));
        assertEquals("visit_count", n.get(289));
        assertEquals("visit_30d_url_top9", n.get(319));
    }

    @Test
    void everyRelevantClientGetsARowZerosWithoutEvents() {
        assertArrayEquals(new long[] {1, 2, 3}, block.ids());
        for (int j = 0; j < 320; j++) {
            assertEquals(0f, block.x().get(2, j), block.names().get(j));
        }
    }

    @Test
    void countsTopValuesInWindowsBeforeEachTypesOwnLastEvent() {
        // buys of relevant clients: only client 1's (client 4 is not relevant, so its later buy sets no max)
        assertEquals(1, block.get(1, "buy_count"));
        assertEquals(1, block.get(1, "buy_1d_sku_top0"));
        assertEquals(1, block.get(1, "buy_30d_price_top0"));
        assertEquals(0, block.get(1, "buy_1d_sku_top1"));
        // adds: sku 100 (06-30 09:50, the max) and 101 (06-25), one each: the tie goes to the smaller value
        assertEquals(2, block.get(1, "add_count"));
        assertEquals(1, block.get(1, "add_1d_sku_top0"));
        assertEquals(0, block.get(1, "add_1d_sku_top1"));
        assertEquals(1, block.get(1, "add_7d_sku_top1"));
        assertEquals(1, block.get(1, "add_7d_price_top1"));
        // visits: url 7 (twice) then url 8; windows count back from the last visit 06-30 09:40
        assertEquals(2, block.get(1, "visit_count"));
        assertEquals(0, block.get(1, "visit_1d_url_top0"));
        assertEquals(1, block.get(1, "visit_1d_url_top1"));
        assertEquals(1, block.get(1, "visit_30d_url_top0"));
        assertEquals(1, block.get(2, "visit_count"));
        assertEquals(0, block.get(2, "visit_30d_url_top0"));
        assertEquals(1, block.get(1, "remove_count"));
        assertEquals(1, block.get(1, "remove_7d_category_top0"));
    }

    @Test
    void queryFeaturesAreTheMeanCodes() {
        for (int c = 0; c < 16; c++) {
            assertEquals(c + 1, block.get(1, "search_query_mean_" + c));
        }
        assertEquals(0, block.get(2, "search_query_mean_0"));
    }

    @Test
    void recordsTheTopValuesAndMaxTimestamps() {
        @SuppressWarnings("unchecked")
        Map<String, Object> top = (Map<String, Object>) meta.config().get("top_values");
        @SuppressWarnings("unchecked")
        Map<String, Object> visit = (Map<String, Object>) top.get("visit");
        assertEquals(List.of(7L, 8L), visit.get("url"));
        assertEquals("2022-06-30 09:40:00", visit.get("max_timestamp"));
        assertTrue(meta.config().containsKey("num_days"));
    }

    @Test
    void numDaysAndTopNChangeTheWidth() throws Exception {
        BlockDir.Meta m = FeatureBlocks.run(data, FeatureConfig.defaults(FeatureSet.BASELINE, 1)
                .withNumDays(List.of(2, 14)).withTopN(3), tmp.resolve("emb-small"), StageListener.NONE);
        assertEquals(3 * (1 + 3 * 3 * 2) + 16 + (1 + 3 * 2), m.dims());
    }

    @Test
    void aRerunThatFailsMidwayLeavesThePreviousBlockAndTheNextRunIsByteIdentical() throws Exception {
        Path out = tmp.resolve("rerun");
        FeatureConfig cfg = FeatureConfig.defaults(FeatureSet.BASELINE, 1);
        FeatureBlocks.run(data, cfg, out, StageListener.NONE);
        BlockDir b = new BlockDir(out);
        byte[] emb = java.nio.file.Files.readAllBytes(b.embeddingsFile());
        byte[] ids = java.nio.file.Files.readAllBytes(b.clientIdsFile());
        String createdAt = b.readMeta().createdAt();
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> FeatureBlocks.run(data, cfg, out, line -> {
                    throw new IllegalStateException("killed after the build started");
                }));
        assertEquals(createdAt, b.readMeta().createdAt(), "the previous block.json is untouched");
        assertArrayEquals(emb, java.nio.file.Files.readAllBytes(b.embeddingsFile()));
        assertTrue(!java.nio.file.Files.exists(tmp.resolve(".rerun.partial")), "the failed build is removed");
        // what kill -9 leaves beside the output: the next run starts afresh and gives the same bytes
        java.nio.file.Files.createDirectories(tmp.resolve(".rerun.partial"));
        java.nio.file.Files.writeString(tmp.resolve(".rerun.partial/embeddings.npy"), "half");
        FeatureBlocks.run(data, cfg, out, StageListener.NONE);
        assertArrayEquals(emb, java.nio.file.Files.readAllBytes(b.embeddingsFile()));
        assertArrayEquals(ids, java.nio.file.Files.readAllBytes(b.clientIdsFile()));
        assertTrue(!java.nio.file.Files.exists(tmp.resolve(".rerun.partial")));
    }
}
