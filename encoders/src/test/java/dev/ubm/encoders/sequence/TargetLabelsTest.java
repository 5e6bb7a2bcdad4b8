package dev.ubm.encoders.sequence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ubm.core.BadInputException;
import dev.ubm.core.ChallengeDataDir;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TargetLabelsTest {
    @TempDir
    Path tmp;

    @Test
    void aBuyIsLabelledWithItsListedCategorySkuAndPriceInThatOrder() {
        // category list has a repeat: it counts once
        TargetLabels t = new TargetLabels(new long[] {7, 3, 7}, new long[] {1000, 2000, 3000}, new long[] {5, 9});
        assertEquals(2 + 3 + 2, t.size());
        int[] out = new int[3];
        assertEquals(3, t.labelsOf(3000, 3, 9, out));
        assertArrayEquals(new int[] {1, 2 + 2, 2 + 3 + 1}, out);
        // an unlisted sku, an unknown category and an unlisted price give only what is listed
        assertEquals(1, t.labelsOf(4242, -1, 5, out));
        assertEquals(2 + 3, out[0]);
        assertEquals(0, t.labelsOf(4242, 99, 50, out));
    }

    @Test
    void aMissingListIsBadInputNamingTheFile() throws Exception {
        ChallengeDataDir data = TinySeqWorld.write(tmp.resolve("data"), 20, 20, 1);
        Files.delete(tmp.resolve("data/target/propensity_price.npy"));
        BadInputException e = assertThrows(BadInputException.class, () -> TargetLabels.of(data));
        assertTrue(e.getMessage().contains("propensity_price.npy"), e.getMessage());
        Files.delete(tmp.resolve("data/target/propensity_category.npy"));
        String first = assertThrows(BadInputException.class, () -> TargetLabels.of(data)).getMessage();
        assertTrue(first.contains("propensity_category.npy"), first);
    }
}
