package dev.ubm.probes;

import dev.ubm.core.AtomicFiles;
import dev.ubm.core.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Probe results saved one by one as they finish, in {@code partial.json} of a score dir (rewritten atomically after
 * each), so that a killed {@code ubm probe} or {@code ubm ablate} resumes at the first unfinished result. Each result
 * is filed under a unit name (a task, or a variant's embeddings, task and probe seed). The file holds a key: the
 * data and settings every unit shares; a file with another key (or one that cannot be read) is ignored, and the
 * first {@link #put} replaces it. The caller {@link #delete}s the file once its score dir is complete.
 */
public final class PartialResults {
    /** The file's name in the score dir. */
    public static final String FILE = "partial.json";

    private final Path file;
    private final String key;
    private final Map<String, TaskResult> done = new LinkedHashMap<>();

    private PartialResults(Path file, String key) {
        this.file = file;
        this.key = key;
    }

    /** The results saved in {@code scoreDir} under {@code key}; none when the file is absent, stale or unreadable. */
    @SuppressWarnings("unchecked")
    public static PartialResults open(Path scoreDir, String key) {
        PartialResults p = new PartialResults(scoreDir.resolve(FILE), key);
        if (!Files.isRegularFile(p.file)) {
            return p;
        }
        try {
            Map<String, Object> m = Json.parseObject(Files.readString(p.file));
            if (key.equals(m.get("key"))) {
                for (Map.Entry<String, Object> e : ((Map<String, Object>) m.get("results")).entrySet()) {
                    p.done.put(e.getKey(), TaskResult.fromMap((Map<String, Object>) e.getValue()));
                }
            }
        } catch (IOException | RuntimeException e) {
            p.done.clear();
        }
        return p;
    }

    /** The saved result of {@code unit}, or null. */
    public TaskResult get(String unit) {
        return done.get(unit);
    }

    /** Saves {@code r} as the result of {@code unit} (the whole file is rewritten atomically). */
    public void put(String unit, TaskResult r) {
        done.put(unit, r);
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create score dir " + file.getParent(), e);
        }
        Map<String, Object> results = new LinkedHashMap<>();
        done.forEach((u, t) -> results.put(u, t.toMap()));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", key);
        m.put("results", results);
        AtomicFiles.writeString(file, Json.write(m));
    }

    /** Removes the file (the score dir is complete). */
    public void delete() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + file, e);
        }
    }
}
