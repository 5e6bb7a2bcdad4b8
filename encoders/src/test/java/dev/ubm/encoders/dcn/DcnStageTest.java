package dev.ubm.encoders.dcn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ubm.core.BlockDir;
import dev.ubm.core.ChallengeDataDir;
import dev.ubm.core.Progress;
import dev.ubm.data.AsOf;
import dev.ubm.data.EventStore;
import dev.ubm.data.Npy;
import dev.ubm.data.TestWorlds;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("torch")
class DcnStageTest {
    @TempDir
    Path tmp;

    /** A stand-in feature block: per-type event counts (all time and last 7 days) and days since the last event. */
    static BlockDir countFeatures(ChallengeDataDir data, Path out) throws Exception {
        long[] ids = Npy.readLongs(data.relevantClientsFile());
        int f = 11;
        float[] x = new float[ids.length * f];
        Map<Long, Integer> row = new HashMap<>();
        for (int i = 0; i < ids.length; i++) {
            row.put(ids[i], i);
        }
        try (EventStore s = EventStore.open(data); Statement st = s.connection().createStatement()) {
            String cut = "TIMESTAMP '" + s.cutoff().toString().replace('T', ' ') + "'";
            try (ResultSet rs = st.executeQuery("SELECT client_id, event_type, count(*), "
                    + "count(*) FILTER (WHERE timestamp >= " + cut + " - INTERVAL 7 DAY), "
                    + "date_diff('day', max(timestamp), " + cut + ") FROM events "
                    + "WHERE client_id IN (SELECT client_id FROM relevant_clients) GROUP BY ALL")) {
                while (rs.next()) {
                    int i = row.get(rs.getLong(1));
                    int t = rs.getInt(2);
                    x[i * f + t] = rs.getLong(3);
                    x[i * f + 5 + t] = rs.getLong(4);
                    if (t == 0) {
                        x[i * f + 10] = rs.getLong(5);
                    }
                }
            }
        }
        BlockDir b = new BlockDir(out);
        b.createDirs();
        Npy.writeLongs(b.clientIdsFile(), ids);
        Npy.writeFloat32(b.embeddingsFile(), x, ids.length, f);
        b.writeMeta(BlockDir.Meta.of("test-counts", f, ids.length, "float32", Map.of(), 0, "", 0));
        return b;
    }

    @Test
    void trainsOnAsOfLabelsAndWritesACompleteBlock() throws Exception {
        Progress.setEnabled(false);
        ChallengeDataDir world = TestWorlds.shared(11);
        AsOf asOf = AsOf.materialise(world, tmp.resolve("asof"), 14);
        BlockDir trainFeat = countFeatures(asOf.dir(), tmp.resolve("feat-asof"));
        BlockDir feat = countFeatures(world, tmp.resolve("feat"));
        DcnConfig cfg = DcnConfig.defaults().withEpochs(4);
        DcnStage.Result r = DcnStage.fit(DcnStage.Inputs.of(asOf.labels(), trainFeat, feat, null, null),
                tmp.resolve("dcn"), cfg, 3, Map.of("as_of", asOf.asOf().toString()));
        BlockDir out = r.block();
        assertTrue(out.isComplete());
        long[] relevant = Npy.readLongs(world.relevantClientsFile());
        assertArrayEquals(relevant, Npy.readLongs(out.clientIdsFile()));
        Npy.FloatMatrix m = Npy.readFloats(out.embeddingsFile());
        assertEquals(relevant.length, m.rows());
        assertEquals(cfg.blockDim(), m.cols());
        BlockDir.Meta meta = out.readMeta();
        assertEquals("dcn", meta.component());
        assertEquals(3, meta.seed());
        List<String> csv = Files.readAllLines(out.dir().resolve(DcnStage.LOSS_CSV));
        assertEquals(1 + 4, csv.size());
        List<DcnEncoder.Epoch> ep = r.fit().epochs();
        assertTrue(ep.get(3).trainSupervised() < ep.get(0).trainSupervised(),
                "supervised loss goes down: " + ep.get(0).trainSupervised() + " -> " + ep.get(3).trainSupervised());
        assertTrue(asOf.labels().buyers() > 0, "the tiny world has buyers in the label window");
        assertFalse(Files.exists(out.dir().resolve(DcnStage.WORK).resolve(DcnEncoder.CHECKPOINT)),
                "a published block leaves no checkpoint to resume");
    }
}
