package dev.ubm.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ubm.core.BlockDir;
import dev.ubm.core.ChallengeDataDir;
import dev.ubm.core.StageListener;
import dev.ubm.data.EventStore;
import dev.ubm.data.Npy;
import dev.ubm.data.TestWorlds;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Both feature sets on the shared tiny synthesized + split world (the data module's TestWorlds). */
class SynthWorldFeaturesTest {
    @TempDir
    static Path tmp;
    static ChallengeDataDir data;
    static long[] relevant;
    static long withEvents;

    @BeforeAll
    static void world() throws Exception {
        data = TestWorlds.shared(4);
        relevant = Npy.readLongs(data.relevantClientsFile());
        try (EventStore s = EventStore.open(data); Statement st = s.connection().createStatement();
                ResultSet rs = st.executeQuery("SELECT COUNT(DISTINCT client_id) FROM events "
                        + "WHERE client_id IN (SELECT client_id FROM relevant_clients)")) {
            rs.next();
            withEvents = rs.getLong(1);
        }
    }

    @Test
    void fullSetHasARowPerRelevantClientAndFlagsThoseWithoutInputEvents() throws Exception {
        BlockDir.Meta meta = FeatureBlocks.run(data, FeatureConfig.defaults(FeatureSet.FULL, 4), tmp.resolve("full"),
                StageListener.NONE);
        FullFeaturesTest.Block b = FullFeaturesTest.Block.read(tmp.resolve("full"));
        long[] ids = b.ids().clone();
        long[] rel = relevant.clone();
        Arrays.sort(ids);
        Arrays.sort(rel);
        assertArrayEquals(rel, ids);
        assertTrue(data.isSplit(), "the split world's input/ events are embedded");
        long flagged = 0;
        for (long id : b.ids()) {
            flagged += (long) b.get(id, "no_history");
        }
        assertEquals(relevant.length - withEvents, flagged);
        assertEquals(flagged, ((Number) meta.config().get("clients_without_history")).longValue());
        assertTrue(meta.dims() > 300, meta.dims() + " dims");
    }

    @Test
    void baselineHas320Dims() {
        BlockDir.Meta meta = FeatureBlocks.run(data, FeatureConfig.defaults(FeatureSet.BASELINE, 4), tmp.resolve("baseline"),
                StageListener.NONE);
        assertEquals(320, meta.dims());
        assertEquals(relevant.length, meta.rows());
    }
}
