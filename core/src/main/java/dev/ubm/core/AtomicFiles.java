package dev.ubm.core;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The one place where outputs are written: to a temp file in the target's directory, then renamed, so a failed
 * or killed stage never leaves a half-written file under the final name.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /** Something that writes a whole file to a stream. */
    @FunctionalInterface
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    /** Something that writes a whole file at a path (e.g. a library that wants a path, not a stream). */
    @FunctionalInterface
    public interface PathWriter {
        void write(Path tmp) throws IOException;
    }

    /** A temp path beside {@code target}; hidden (dot) name so globs skip it. */
    public static Path tempBeside(Path target) {
        Path dir = target.toAbsolutePath().getParent();
        return dir.resolve("." + target.getFileName() + ".tmp-" + ProcessHandle.current().pid() + "-"
                + Thread.currentThread().getId() + "-" + System.nanoTime());
    }

    public static void write(Path target, Writer writer) {
        writePath(target, tmp -> {
            try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
                writer.write(out);
            }
        });
    }

    public static void writePath(Path target, PathWriter writer) {
        Path tmp = tempBeside(target);
        try {
            Files.createDirectories(tmp.getParent());
            writer.write(tmp);
            commit(tmp, target);
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            deleteQuietly(tmp);
            throw e;
        }
    }

    public static void writeString(Path target, String text) {
        write(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Renames a finished temp file over its target (atomically where the file system allows). */
    public static void commit(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Swaps a finished directory {@code fresh} in for {@code target} (both in the same parent): hidden entries of
     * the old target (work dirs, checkpoints: names starting with '.') move into {@code fresh} first, then the old
     * target is renamed aside, {@code fresh} renamed to {@code target}, and the old one deleted. A kill at any moment
     * leaves the old target whole, or no target (between the two renames), never a mix of old and new files.
     */
    public static void replaceDir(Path fresh, Path target) {
        try {
            if (Files.isDirectory(target)) {
                try (java.util.stream.Stream<Path> s = Files.list(target)) {
                    for (Path p : (Iterable<Path>) s::iterator) {
                        String name = p.getFileName().toString();
                        if (name.startsWith(".") && !Files.exists(fresh.resolve(name))) {
                            move(p, fresh.resolve(name));
                        }
                    }
                }
                Path old = target.resolveSibling("." + target.getFileName() + ".old");
                deleteTree(old);
                move(target, old);
                move(fresh, target);
                deleteTreeQuietly(old);
            } else {
                move(fresh, target);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move " + fresh + " to " + target + ": " + e.getMessage(), e);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    /** Copies {@code from} to {@code target} atomically when it exists; nothing when it does not. */
    public static void copyIfExists(Path from, Path target) {
        if (Files.isRegularFile(from)) {
            writePath(target, tmp -> Files.copy(from, tmp, StandardCopyOption.REPLACE_EXISTING));
        }
    }

    public static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort
        }
    }

    /**
     * Deletes a work dir or file tree, deepest first, each path quietly (a leftover file is harmless to the callers:
     * checkpoints, spill and work dirs); absent is fine; fails only when the tree cannot be listed.
     */
    public static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (java.util.stream.Stream<Path> s = Files.walk(root)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(AtomicFiles::deleteQuietly);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }

    /** {@link #deleteTree} that also passes over a tree it cannot list: for work dirs whose leftovers cost only disk. */
    public static void deleteTreeQuietly(Path root) {
        try {
            deleteTree(root);
        } catch (UncheckedIOException ignored) {
            // best effort
        }
    }
}
