package dev.ubm.data;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ubm.core.ChallengeDataDir;

import org.junit.jupiter.api.Test;

class TestWorldsTest {
    @Test
    void sharedWorldIsSplitWithTargetsAndOracle() {
        ChallengeDataDir d = TestWorlds.shared(7);
        assertTrue(d.isSplit());
        assertTrue(d.problems(ChallengeDataDir.Need.EVENTS, ChallengeDataDir.Need.TARGET_LISTS,
                ChallengeDataDir.Need.TARGET_WINDOWS).isEmpty(), d.problems(ChallengeDataDir.Need.TARGET_LISTS).toString());
        assertTrue(d.hasOracle());
        assertSame(d, TestWorlds.shared(7));
    }
}
