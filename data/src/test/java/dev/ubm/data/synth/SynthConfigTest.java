package dev.ubm.data.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ubm.core.BadInputException;

import org.junit.jupiter.api.Test;

class SynthConfigTest {
    @Test
    void defaultsAreTheDocumentedWorld() {
        SynthConfig d = SynthConfig.defaults();
        assertEquals(50_000, d.clients());
        assertEquals(10_000, d.relevantClients());
        assertEquals(150, d.days());
        assertEquals(42, d.seed());
        assertEquals(100, d.oracleDraws());
        assertEquals(136, d.validationStartDay());
        assertEquals(122, d.trainStartDay());
    }

    @Test
    void rejectsImpossibleWorldsWithAMessageNamingTheValue() {
        BadInputException e = assertThrows(BadInputException.class, () -> SynthConfig.of(100, 100, 60, 1));
        assertTrue(e.getMessage().contains("relevant clients"), e.getMessage());
        e = assertThrows(BadInputException.class, () -> SynthConfig.of(100, 10, 30, 1));
        assertTrue(e.getMessage().contains("at least 35"), e.getMessage());
        assertThrows(BadInputException.class, () -> SynthConfig.of(1, 0, 60, 1));
        assertThrows(BadInputException.class, () -> SynthConfig.tiny(1).withOracleDraws(0));
        assertThrows(BadInputException.class, () -> SynthConfig.tiny(1).withActivity(0));
    }

    @Test
    void codeStringsLookLikeNumpyPrintsThem() {
        byte[] c = {21, 21, 13, (byte) 168};
        assertEquals("[ 21  21  13 168]", SyntheticWorld.codeString(c, 0, 4));
        assertEquals("[ 1 21]", SyntheticWorld.codeString(new byte[] {1, 21}, 0, 2));
    }

    @Test
    void theConfigRoundTripsThroughRunJson() {
        SynthConfig c = SynthConfig.tiny(11);
        assertEquals(c, SynthConfig.fromMap(dev.ubm.core.Json.parseObject(dev.ubm.core.Json.write(c.toMap()))));
        SynthConfig d = SynthConfig.of(3000, 500, 90, 4);
        assertEquals(d, SynthConfig.fromMap(dev.ubm.core.Json.parseObject(dev.ubm.core.Json.write(d.toMap()))));
    }
}
