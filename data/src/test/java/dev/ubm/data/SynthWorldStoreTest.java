package dev.ubm.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ubm.core.ChallengeDataDir;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** The synthesized tiny world passes every data check and streams as ordered client sequences. */
class SynthWorldStoreTest {
    @Test
    void theSynthesizedWorldIsValidAndStreamsInOrder() {
        ChallengeDataDir d = TestWorlds.shared(1);
        DataValidator.Report r = DataValidator.validate(d);
        assertTrue(r.ok(), String.join("\n", r.messages()));
        try (EventStore s = EventStore.open(d)) {
            long relevant = Npy.readLongs(d.relevantClientsFile()).length;
            AtomicLong clients = new AtomicLong();
            AtomicLong prevClient = new AtomicLong(Long.MIN_VALUE);
            long n = ClientSequences.forEach(s, SequenceOptions.relevant(), ev -> {
                assertTrue(ev.clientId() > prevClient.get(), "ascending clients");
                prevClient.set(ev.clientId());
                for (int i = 1; i < ev.size(); i++) {
                    assertTrue(ev.timestamp(i) >= ev.timestamp(i - 1), "time ordered");
                }
                for (int i = 0; i < ev.size(); i++) {
                    if (ev.type(i).isProductEvent()) {
                        assertTrue(ev.category(i) >= 0 && ev.price(i) >= 0 && ev.codeCount(i) > 0, ev.toString());
                    }
                }
                clients.incrementAndGet();
            });
            assertTrue(n > 0);
            assertTrue(clients.get() <= relevant);
            long cutoff = s.cutoff().toEpochSecond(java.time.ZoneOffset.UTC);
            ClientSequences.forEach(s, SequenceOptions.all(), ev -> assertTrue(ev.timestamp(ev.size() - 1) < cutoff));
            assertEquals(0, ClientSequences.forEach(s, new SequenceOptions(false, 0,
                    java.time.LocalDateTime.of(1990, 1, 1, 0, 0)), ev -> { }));
        }
    }
}
