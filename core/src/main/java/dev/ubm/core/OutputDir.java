package dev.ubm.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one check of an output directory, run by every command on its output flags before any compute: the path
 * (and every parent that exists) must be a directory, and the nearest existing one must accept a new file. It
 * creates nothing, so a refused run leaves no trace. Failures are bad input (exit 2).
 */
public final class OutputDir {
    private OutputDir() {
    }

    /**
     * Checks that {@code dir} can be created (or exists) and written; {@code flag} names the option in messages
     * ({@code --embeddings-dir}). Returns the absolute, normalised path.
     */
    public static Path requireWritable(Path dir, String flag) {
        Path abs = dir.toAbsolutePath().normalize();
        Path p = abs;
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        if (p == null) {
            throw new BadInputException(flag + " " + abs + ": no parent directory exists");
        }
        if (!Files.isDirectory(p)) {
            throw new BadInputException(p + " exists and is a file" + (p.equals(abs) ? "" : " (needed as a directory "
                    + "for " + abs + ")") + "; " + flag + " must name a directory");
        }
        Path probe = null;
        try {
            probe = Files.createTempFile(p, ".ubm-write-check", "");
        } catch (IOException | SecurityException e) {
            throw new BadInputException(abs + " is not writable: cannot create a file in " + p + " (" + e + "); "
                    + flag + " must name a writable directory", e);
        } finally {
            if (probe != null) {
                AtomicFiles.deleteQuietly(probe);
            }
        }
        return abs;
    }
}
