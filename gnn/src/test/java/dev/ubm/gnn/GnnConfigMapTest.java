package dev.ubm.gnn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ubm.core.Json;

import java.util.EnumSet;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Every gnn config comes back from its block.json map as it was. */
class GnnConfigMapTest {
    private static Map<String, Object> json(Map<String, Object> m) {
        return Json.parseObject(Json.write(m));
    }

    @Test
    void twhinGraphAndSvdConfigsRoundTrip() {
        TwhinConfig t = new TwhinConfig(16, 3, 8, 64, 0.02, 2, 9, 0.2, TwhinConfig.WeightTransform.SQRT,
                Map.of(Relation.values()[0], 0.5), TwhinConfig.Storage.HEAP);
        assertEquals(t, TwhinConfig.fromMap(json(t.toMap()), 9));
        GraphConfig g = new GraphConfig(EnumSet.of(Relation.values()[0], Relation.values()[1]), 21.0, 3, 2, false);
        assertEquals(g, GraphConfig.fromMap(json(g.toMap())));
        SvdBaseline.Config s = new SvdBaseline.Config(8, 4, 1, 9, 2);
        assertEquals(s, SvdBaseline.Config.fromMap(json(s.toMap()), 9));
    }

    @Test
    void theStageConfigRoundTripsForEitherMethod() {
        GnnStage.Config twhin = new GnnStage.Config(GnnStage.Method.TWHIN, GraphConfig.defaults(),
                TwhinConfig.defaults(1, 5).withDim(8), null, true, false);
        assertEquals(twhin, GnnStage.Config.fromMap(json(twhin.toMap()), 5, true, false));
        GnnStage.Config svd = new GnnStage.Config(GnnStage.Method.SVD, GraphConfig.defaults(), null,
                new SvdBaseline.Config(4, 4, 2, 5, 1), false, true);
        assertEquals(svd, GnnStage.Config.fromMap(json(svd.toMap()), 5, false, true));
    }
}
