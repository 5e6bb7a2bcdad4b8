package dev.ubm.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    @Test
    void failedWriteLeavesTheOldFileAndNoTempFile() throws Exception {
        Path target = dir.resolve("out.txt");
        AtomicFiles.writeString(target, "old");
        assertThrows(IllegalStateException.class, () -> AtomicFiles.write(target, out -> {
            out.write("half".getBytes());
            throw new IllegalStateException("boom");
        }));
        assertEquals("old", Files.readString(target));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(1, s.count());
        }
    }

    @Test
    void deleteTreeRemovesNestedWorkDirsAndAcceptsAnAbsentOne() throws Exception {
        for (boolean quietly : new boolean[] {false, true}) {
            Path root = dir.resolve("work-" + quietly);
            Files.createDirectories(root.resolve("a/b"));
            Files.writeString(root.resolve("a/b/c.bin"), "x");
            Files.writeString(root.resolve("top.json"), "{}");
            if (quietly) {
                AtomicFiles.deleteTreeQuietly(root);
                AtomicFiles.deleteTreeQuietly(root);
            } else {
                AtomicFiles.deleteTree(root);
                AtomicFiles.deleteTree(root);
            }
            assertFalse(Files.exists(root), root + " is gone");
        }
    }

    @Test
    void ioErrorsNameTheTarget() {
        Path target = dir.resolve("x.bin");
        Exception e = assertThrows(RuntimeException.class, () -> AtomicFiles.write(target, out -> {
            throw new IOException("disk full");
        }));
        assertEquals(true, e.getMessage().contains("x.bin"));
    }

    @Test
    void blockMetaRoundTripsThroughBlockJson() {
        BlockDir b = new BlockDir(dir.resolve("blk"));
        BlockDir.Meta m = BlockDir.Meta.of("features", 12, 100, "float32", Map.of("set", "full"), 7, "abc", 1.5);
        b.writeMeta(m);
        BlockDir.Meta back = b.readMeta();
        assertEquals(m.component(), back.component());
        assertEquals(12, back.dims());
        assertEquals(7, back.seed());
        assertEquals("full", back.config().get("set"));
    }

    @Test
    void fingerprintChangesWithContent() throws Exception {
        Path f = dir.resolve("a.txt");
        Files.writeString(f, "one");
        String a = Fingerprint.of(f);
        assertEquals(a, Fingerprint.of(f));
        Files.writeString(f, "two");
        assertEquals(false, a.equals(Fingerprint.of(f)));
    }
}
