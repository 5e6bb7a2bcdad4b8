package dev.ubm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class UbmTest {
    @Test
    void versionPrintsTheCodeVersion() {
        CliRunner.Result r = CliRunner.run("--version");
        assertEquals(0, r.code());
        assertTrue(r.out().startsWith("ubm "), r.out());
    }

    @Test
    void unknownOptionIsBadInputWithoutStackTrace() {
        CliRunner.Result r = CliRunner.run("split", "--no-such-flag");
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("[ERROR]"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
    }

    @Test
    void missingSubcommandIsBadInput() {
        assertEquals(2, CliRunner.run().code());
    }
}
