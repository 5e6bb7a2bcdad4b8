package dev.ubm.submission;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ScalingTest {
    @Test
    void countLikeBlocksAreStandardisedLearnedBlocksRowScaledAndASubmissionTakenAsItIs() {
        assertEquals(Scaling.STANDARD, Scaling.defaultFor("features"));
        assertEquals(Scaling.STANDARD, Scaling.defaultFor("baseline"));
        assertEquals(Scaling.STANDARD, Scaling.defaultFor("gnn-walks"), "walk sums carry activity, row scaling drops it");
        assertEquals(Scaling.STANDARD, Scaling.defaultFor(null));
        assertEquals(Scaling.L2, Scaling.defaultFor("gnn-twhin"));
        assertEquals(Scaling.L2, Scaling.defaultFor("seq"));
        assertEquals(Scaling.NONE, Scaling.defaultFor(Combiner.COMPONENT));
    }
}
