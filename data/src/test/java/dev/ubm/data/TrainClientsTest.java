package dev.ubm.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ubm.core.BadInputException;
import dev.ubm.core.ChallengeDataDir;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainClientsTest {
    @TempDir
    Path tmp;

    /** Clients with an event of any type before the as-of cutoff, counted straight from the source events. */
    private static Set<Long> withEventsBefore(ChallengeDataDir world, AsOf a) throws Exception {
        Set<Long> out = new TreeSet<>();
        try (EventStore s = EventStore.open(world); Statement st = s.connection().createStatement();
                ResultSet rs = st.executeQuery("SELECT DISTINCT client_id FROM events WHERE timestamp < "
                        + AsOf.ts(a.asOf()))) {
            while (rs.next()) {
                out.add(rs.getLong(1));
            }
        }
        return out;
    }

    private static Set<Long> set(long[] ids) {
        Set<Long> s = new HashSet<>();
        for (long id : ids) {
            s.add(id);
        }
        return s;
    }

    @Test
    void allListsTheRelevantClientsFirstThenEveryOtherClientWithAnEventBeforeAsOf() throws Exception {
        ChallengeDataDir world = TestWorlds.shared(5);
        long[] relevant = RelevantClients.read(world);
        AsOf a = AsOf.materialise(world, tmp.resolve("all"), 14, 0, TrainClients.parse("all"), 1);
        long[] ids = a.labels().clientIds();
        assertArrayEquals(relevant, Arrays.copyOf(ids, relevant.length), "relevant first, in source order");
        Set<Long> expected = withEventsBefore(world, a);
        expected.addAll(set(relevant));
        assertEquals(expected, set(ids));
        assertEquals(ids.length, set(ids).size(), "no client twice");
        assertTrue(ids.length > relevant.length, "the tiny world has other clients with history");
        assertArrayEquals(ids, Npy.readLongs(a.dir().relevantClientsFile()), "the as-of dir lists the same clients");
        assertEquals(relevant.length, a.relevantClients());
    }

    @Test
    void aNumberIsAnExactSizeSeededSampleThatAlwaysHoldsTheRelevantClients() throws Exception {
        ChallengeDataDir world = TestWorlds.shared(5);
        long[] relevant = RelevantClients.read(world);
        int n = relevant.length + 100;
        AsOf a = AsOf.materialise(world, tmp.resolve("s1"), 14, 0, TrainClients.parse(Integer.toString(n)), 1);
        AsOf again = AsOf.materialise(world, tmp.resolve("s1b"), 14, 0, TrainClients.parse(Integer.toString(n)), 1);
        AsOf other = AsOf.materialise(world, tmp.resolve("s2"), 14, 0, TrainClients.parse(Integer.toString(n)), 2);
        long[] ids = a.labels().clientIds();
        assertEquals(n, ids.length);
        assertEquals(n, set(ids).size());
        assertArrayEquals(relevant, Arrays.copyOf(ids, relevant.length));
        Set<Long> history = withEventsBefore(world, a);
        for (int i = relevant.length; i < n; i++) {
            assertTrue(history.contains(ids[i]), "sampled client " + ids[i] + " has history before as-of");
        }
        assertArrayEquals(ids, again.labels().clientIds(), "same seed, same sample");
        assertFalse(Arrays.equals(ids, other.labels().clientIds()), "another seed, another sample");
        AsOf few = AsOf.materialise(world, tmp.resolve("few"), 14, 0, TrainClients.parse("3"), 1);
        assertArrayEquals(relevant, few.labels().clientIds(), "fewer than the relevant clients: the relevant ones");
    }

    @Test
    void labelsCoverTheListedClientsBeyondTheRelevantOnes() throws Exception {
        ChallengeDataDir world = TestWorlds.shared(5);
        AsOf a = AsOf.materialise(world, tmp.resolve("all"), 14, 0, TrainClients.parse("all"), 1);
        Set<Long> buyers = new HashSet<>();
        try (EventStore s = EventStore.open(world); Statement st = s.connection().createStatement();
                ResultSet rs = st.executeQuery("SELECT DISTINCT client_id FROM product_buy WHERE timestamp >= "
                        + AsOf.ts(a.asOf()) + " AND timestamp < " + AsOf.ts(a.cutoff()))) {
            while (rs.next()) {
                buyers.add(rs.getLong(1));
            }
        }
        long[] ids = a.labels().clientIds();
        int boughtOutsideRelevant = 0;
        for (int i = 0; i < ids.length; i++) {
            assertEquals(buyers.contains(ids[i]) ? 0f : 1f, a.labels().noBuy()[i], "client " + ids[i]);
            boughtOutsideRelevant += i >= a.relevantClients() && buyers.contains(ids[i]) ? 1 : 0;
        }
        assertTrue(boughtOutsideRelevant > 0, "the extra rows carry labels");
    }

    @Test
    void relevantIsTheDefaultOfTheOldOverloadsAndBadValuesAreBadInput() throws Exception {
        ChallengeDataDir world = TestWorlds.shared(5);
        AsOf a = AsOf.materialise(world, tmp.resolve("rel"), 14);
        assertArrayEquals(RelevantClients.read(world), a.labels().clientIds());
        assertEquals("relevant", TrainClients.parse("relevant").toString());
        assertEquals("all", TrainClients.parse(" ALL ").toString());
        assertEquals("7", TrainClients.parse("7").toString());
        for (String bad : new String[] {"0", "-3", "some", ""}) {
            assertThrows(BadInputException.class, () -> TrainClients.parse(bad), bad);
        }
    }
}
