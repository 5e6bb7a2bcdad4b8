package dev.ubm.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ubm.core.ChallengeDataDir;
import dev.ubm.core.ChallengeDataDir.Format;
import dev.ubm.core.EventType;
import dev.ubm.core.Progress;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ClientSequencesTest {
    @TempDir
    Path tmp;

    @BeforeAll
    static void quiet() {
        Progress.setEnabled(false);
    }

    /** A copy of one delivered client, as text per event: "type@ts item cat price [codes]". */
    private record Seen(long client, List<String> events) {
    }

    private static long epoch(String ts) {
        return LocalDateTime.parse(ts, SplitWindows.TIMESTAMP).toEpochSecond(ZoneOffset.UTC);
    }

    private static List<Seen> collect(EventStore s, SequenceOptions o) {
        List<Seen> out = new ArrayList<>();
        ClientSequences.forEach(s, o, ev -> {
            List<String> e = new ArrayList<>();
            for (int i = 0; i < ev.size(); i++) {
                StringBuilder sb = new StringBuilder(ev.type(i).stem()).append('@').append(ev.timestamp(i));
                sb.append(" sku=").append(ev.sku(i)).append(" url=").append(ev.url(i)).append(" cat=")
                        .append(ev.category(i)).append(" price=").append(ev.price(i)).append(" codes=");
                for (int j = 0; j < ev.codeCount(i); j++) {
                    sb.append(j == 0 ? "" : ",").append(ev.code(i, j));
                }
                e.add(sb.toString());
            }
            out.add(new Seen(ev.clientId(), e));
        });
        return out;
    }

    private static HandWorld world() {
        return new HandWorld()
                .product(10, 1, 5, "[1 2 3]").product(11, 2, 7, "[ 4  5 255]")
                // client 7: every type, written out of time order and spread over the files
                .buy(7, "2022-01-01 10:00:05", 10)
                .visit(7, "2022-01-01 10:00:00", 500)
                .search(7, "2022-01-01 10:00:01", "[9 8 7 6 5 4 3 2 1 0 10 20 30 40 50 60 70 80 90 100]")
                .add(7, "2022-01-01 10:00:02", 11)
                .remove(7, "2022-01-01 10:00:03", 11)
                .add(7, "2022-01-01 10:00:04", 10)
                .visit(7, "2022-01-01 10:00:04", 501) // same second as the add: type code breaks the tie
                .buy(7, "2022-01-01 10:00:06", 99)    // unknown sku: no properties
                // client 3 comes first although written last; client 5 only visits
                .visit(5, "2022-01-02 00:00:00", 502)
                .buy(3, "2021-12-31 23:59:59", 11)
                .relevant(7, 3, 42);
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void eventsComeOutTimeOrderedWithAllTypesMergedAndPropertiesJoined(Format f) {
        try (EventStore s = EventStore.open(world().write(tmp, f))) {
            List<Seen> seen = collect(s, SequenceOptions.all());
            assertEquals(List.of(3L, 5L, 7L), seen.stream().map(Seen::client).toList());
            long t = epoch("2022-01-01 10:00:00");
            assertEquals(List.of(
                    "page_visit@" + t + " sku=-1 url=500 cat=-1 price=-1 codes=",
                    "search_query@" + (t + 1) + " sku=-1 url=-1 cat=-1 price=-1 codes=9,8,7,6,5,4,3,2,1,0,10,20,30,40,50,"
                            + "60,70,80,90,100",
                    "add_to_cart@" + (t + 2) + " sku=11 url=-1 cat=2 price=7 codes=4,5,255",
                    "remove_from_cart@" + (t + 3) + " sku=11 url=-1 cat=2 price=7 codes=4,5,255",
                    "add_to_cart@" + (t + 4) + " sku=10 url=-1 cat=1 price=5 codes=1,2,3",
                    "page_visit@" + (t + 4) + " sku=-1 url=501 cat=-1 price=-1 codes=",
                    "product_buy@" + (t + 5) + " sku=10 url=-1 cat=1 price=5 codes=1,2,3",
                    "product_buy@" + (t + 6) + " sku=99 url=-1 cat=-1 price=-1 codes="), seen.get(2).events());
            assertEquals(List.of("product_buy@" + epoch("2021-12-31 23:59:59") + " sku=11 url=-1 cat=2 price=7 "
                    + "codes=4,5,255"), seen.get(0).events());
        }
    }

    @Test
    void lastNBeforeAndRelevantOnlyAreRespected() {
        try (EventStore s = EventStore.open(world().write(tmp, Format.PARQUET))) {
            List<Seen> last2 = collect(s, new SequenceOptions(false, 2, null));
            assertEquals(List.of(1, 1, 2), last2.stream().map(x -> x.events().size()).toList());
            assertEquals(epoch("2022-01-01 10:00:05"), Long.parseLong(last2.get(2).events().get(0)
                    .replaceAll(".*@(\\d+) .*", "$1")));

            List<Seen> before = collect(s, new SequenceOptions(false, 0, LocalDateTime.of(2022, 1, 1, 10, 0, 4)));
            assertEquals(List.of(3L, 7L), before.stream().map(Seen::client).toList(), "client 5 has no event before");
            assertEquals(4, before.get(1).events().size(), "strictly before 10:00:04");

            List<Seen> rel = collect(s, new SequenceOptions(true, 3, LocalDateTime.of(2022, 1, 1, 10, 0, 5)));
            assertEquals(List.of(3L, 7L), rel.stream().map(Seen::client).toList());
            assertEquals(3, rel.get(1).events().size());
            assertEquals(true, rel.get(1).events().get(2).startsWith("page_visit@" + epoch("2022-01-01 10:00:04")));
        }
    }

    @Test
    void theEventCountIsReturnedAndTheBufferIsReused() {
        try (EventStore s = EventStore.open(world().write(tmp, Format.PARQUET))) {
            List<ClientEvents> instances = new ArrayList<>();
            long n = ClientSequences.forEach(s, new SequenceOptions(false, 1, null), instances::add);
            assertEquals(10, n);
            assertEquals(3, instances.size());
            assertEquals(1, instances.stream().distinct().count(), "one reused instance");
            assertThrows(IndexOutOfBoundsException.class, () -> instances.get(0).timestamp(1));
        }
    }

    @Test
    void chunkedClientRangesGiveTheSameSequences() {
        HandWorld w = world();
        for (int c = 100; c < 160; c++) {
            w.visit(c, "2022-01-0" + (1 + c % 5) + " 00:00:0" + (c % 10), c).buy(c, "2022-01-01 00:00:00", 10)
                    .search(c, "2022-01-01 00:00:00", "[" + c + "]");
        }
        try (EventStore s = EventStore.open(w.write(tmp, Format.PARQUET))) {
            List<Seen> whole = collect(s, SequenceOptions.all());
            String old = System.getProperty(ClientSequences.CHUNK_PROPERTY);
            System.setProperty(ClientSequences.CHUNK_PROPERTY, "17");
            try {
                List<Seen> chunked = collect(s, SequenceOptions.all());
                assertEquals(63, chunked.size());
                assertEquals(whole, chunked);
            } finally {
                if (old == null) {
                    System.clearProperty(ClientSequences.CHUNK_PROPERTY);
                } else {
                    System.setProperty(ClientSequences.CHUNK_PROPERTY, old);
                }
            }
        }
    }

    @Test
    void codeStringsParseAnyLengthAndRejectBadOnes() {
        assertArrayEquals(new int[] {21, 21, 13, 168}, Codes.parse("[ 21  21  13 168]"));
        assertArrayEquals(new int[] {0, 255}, Codes.parse("[0, 255]"));
        assertArrayEquals(new int[] {7}, Codes.parse("[7]"));
        for (String bad : new String[] {"[]", "[256]", "1 2", "[1 2", "[1 a]", "[1] x", "", "[-1]"}) {
            assertThrows(IllegalArgumentException.class, () -> Codes.parse(bad), bad);
            assertEquals(false, java.util.regex.Pattern.matches(Codes.SQL_PATTERN, bad), bad);
        }
        assertEquals(true, java.util.regex.Pattern.matches(Codes.SQL_PATTERN, "[ 21  21  13 168]"));
    }

    @Test
    void aStoreWithoutEventsIsRefused() {
        ChallengeDataDir d = new HandWorld().product(10, 1, 5, "[1]").relevant(1).write(tmp, Format.PARQUET);
        dev.ubm.core.BadInputException e = assertThrows(dev.ubm.core.BadInputException.class,
                () -> EventStore.open(d).close());
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("no events"), e.getMessage());
        assertEquals(EventType.PAGE_VISIT, EventType.ofCode(3));
    }
}
