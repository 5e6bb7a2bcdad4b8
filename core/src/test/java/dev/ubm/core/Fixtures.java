package dev.ubm.core;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the shared golden fixtures ({@code ../shared/fixtures} beside the repository root). */
public final class Fixtures {
    private Fixtures() {
    }

    public static Path dir() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null) {
            Path f = p.resolve("shared").resolve("fixtures");
            if (Files.isDirectory(f)) {
                return f;
            }
            f = p.getParent() == null ? null : p.getParent().resolve("shared").resolve("fixtures");
            if (f != null && Files.isDirectory(f)) {
                return f;
            }
            p = p.getParent();
        }
        throw new IllegalStateException("shared/fixtures not found above " + Path.of("").toAbsolutePath());
    }

    public static Path file(String relative) {
        return dir().resolve(relative);
    }
}
