package dev.ubm.encoders.sequence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ubm.core.BadInputException;
import dev.ubm.core.Json;

import java.util.Map;

import org.junit.jupiter.api.Test;

class SeqConfigTest {
    @Test
    void aConfigSurvivesItsMapAndJson() {
        SeqConfig cfg = SeqConfig.builder().dim(24).layers(3).heads(3).maxLen(20).historyLen(50).hashBuckets(2048)
                .hashDim(12).epochs(5).batchSize(9).lr(3e-3f).dropout(0.2f).uniformNegatives(17).inferBatch(33)
                .trainOnAll(false).trainClients(7).timeBias(false).objectives(SeqConfig.parseObjectives("next_item=0.5,activity"))
                .build();
        assertEquals(cfg, SeqConfig.fromMap(cfg.toMap()));
        Map<String, Object> parsed = Json.parseObject(Json.write(cfg.toMap()));
        assertEquals(cfg, SeqConfig.fromMap(parsed));
        SeqConfig t = cfg.toBuilder().objectives(SeqConfig.parseObjectives("next_item,targets"))
                .readout(SeqConfig.Readout.NOW_TARGETS).build();
        assertEquals(t, SeqConfig.fromMap(Json.parseObject(Json.write(t.toMap()))));
    }

    @Test
    void theNowTargetsReadoutNeedsTheTargetsObjective() {
        SeqConfig.Builder b = SeqConfig.builder().readout(SeqConfig.Readout.NOW_TARGETS);
        BadInputException e = assertThrows(BadInputException.class, b::build);
        assertTrue(e.getMessage().contains("targets objective"), e.getMessage());
        assertThrows(BadInputException.class, () -> SeqConfig.Readout.parse("mean"));
        assertEquals(SeqConfig.Readout.NOW_TARGETS, SeqConfig.Readout.parse("now+targets"));
    }

    @Test
    void aNegativeTrainClientsIsBadInput() {
        BadInputException e = assertThrows(BadInputException.class,
                () -> SeqConfig.builder().trainClients(-1).build());
        assertTrue(e.getMessage().contains("train clients must be >= 0 (0 = all), got -1"), e.getMessage());
    }
}
