package dev.ubm.data;

import dev.ubm.core.ChallengeDataDir;
import dev.ubm.core.Progress;
import dev.ubm.data.split.Splitter;
import dev.ubm.data.synth.SynthConfig;
import dev.ubm.data.synth.SyntheticWorld;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Tiny synthesized and split worlds for tests in every module ({@link SynthConfig#tiny}: ~1,000 clients, 400
 * relevant, 60 days, with an oracle). {@link #shared} generates each seed once per test JVM; treat it as
 * read-only. {@link #tiny} writes a private copy a test may modify.
 */
public final class TestWorlds {
    private static final Map<Long, ChallengeDataDir> SHARED = new HashMap<>();

    private TestWorlds() {
    }

    /** Synthesizes the tiny world for {@code seed} into {@code dir} and splits it in place. */
    public static ChallengeDataDir tiny(Path dir, long seed) {
        Progress.setEnabled(false);
        SyntheticWorld.generate(SynthConfig.tiny(seed), dir);
        Splitter.split(new Splitter.Config(dir, null, seed, false));
        return ChallengeDataDir.open(dir);
    }

    /** The tiny world for {@code seed}, made once per JVM in a temp dir deleted at exit. Do not modify it. */
    public static synchronized ChallengeDataDir shared(long seed) {
        return SHARED.computeIfAbsent(seed, s -> {
            try {
                Path dir = Files.createTempDirectory("ubm-world-" + s + "-");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
                return tiny(dir, s);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort at exit
        }
    }
}
