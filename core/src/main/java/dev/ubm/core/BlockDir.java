package dev.ubm.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The directory every embedding stage writes: {@code client_ids.npy} (int64), {@code embeddings.npy} (float32 for
 * blocks, float16 for a submission) and {@code block.json}. block.json is written last, so its presence marks a
 * complete block; its metadata says which component made it, with which config, seed and input. A stage builds its
 * block with {@link #build()}: in a hidden dir beside the output, swapped in whole by {@link Build#publish}, so a
 * killed or failed rerun leaves the previous block intact (or nothing), never stale embeddings without block.json.
 */
public final class BlockDir {
    public static final String CLIENT_IDS = "client_ids.npy";
    public static final String EMBEDDINGS = "embeddings.npy";
    public static final String META = "block.json";

    private final Path dir;

    public BlockDir(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    public Path dir() {
        return dir;
    }

    public Path clientIdsFile() {
        return dir.resolve(CLIENT_IDS);
    }

    public Path embeddingsFile() {
        return dir.resolve(EMBEDDINGS);
    }

    public Path metaFile() {
        return dir.resolve(META);
    }

    /** True when all three files exist (block.json written last marks completion). */
    public boolean isComplete() {
        return Files.isRegularFile(clientIdsFile()) && Files.isRegularFile(embeddingsFile())
                && Files.isRegularFile(metaFile());
    }

    /** Throws {@link BadInputException} naming what is missing. */
    public BlockDir requireComplete() {
        if (!Files.isDirectory(dir)) {
            throw new BadInputException("embeddings dir " + dir + " does not exist");
        }
        for (Path p : new Path[] {clientIdsFile(), embeddingsFile()}) {
            if (!Files.isRegularFile(p)) {
                throw new BadInputException("missing file " + p);
            }
        }
        return this;
    }

    /**
     * Throws {@link UnexpectedStateException} (exit 3) when the dir exists without block.json: the stage that writes
     * it was killed, failed or is still running; {@link BadInputException} (exit 2) when the dir is missing.
     */
    public BlockDir requireFinished() {
        if (!Files.isDirectory(dir)) {
            throw new BadInputException("embeddings dir " + dir + " does not exist");
        }
        if (!Files.isRegularFile(metaFile())) {
            throw new UnexpectedStateException("unfinished stage: rerun the stage that writes " + dir + " (it has no "
                    + META + ": the stage was killed, failed or is still running; a block made outside ubm needs a "
                    + META + " too)");
        }
        return this;
    }

    /**
     * Starts building this block in a fresh hidden dir beside it ({@code .<name>.partial}, a leftover of a killed
     * run is removed). Write the files into {@link Build#block()}, then {@link Build#publish}; closing an unpublished
     * build deletes it and leaves this dir as it was.
     */
    public Build build() {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new BadInputException(dir + " exists and is a file");
        }
        Path staging = dir.resolveSibling("." + dir.getFileName() + ".partial");
        AtomicFiles.deleteTree(staging);
        new BlockDir(staging).createDirs();
        return new Build(this, new BlockDir(staging));
    }

    /** A block being built beside its final dir; see {@link #build()}. */
    public static final class Build implements AutoCloseable {
        private final BlockDir target;
        private final BlockDir staging;
        private boolean published;

        private Build(BlockDir target, BlockDir staging) {
            this.target = target;
            this.staging = staging;
        }

        /** Where the stage writes its files. */
        public BlockDir block() {
            return staging;
        }

        /** The final dir (work dirs that must survive a kill, e.g. checkpoints, live in it under hidden names). */
        public BlockDir target() {
            return target;
        }

        /** Writes block.json and swaps the built block in for the target ({@link AtomicFiles#replaceDir}). */
        public Meta publish(Meta meta) {
            staging.writeMeta(meta);
            AtomicFiles.replaceDir(staging.dir(), target.dir());
            published = true;
            return meta;
        }

        @Override
        public void close() {
            if (!published) {
                AtomicFiles.deleteTreeQuietly(staging.dir());
            }
        }
    }

    public Path createDirs() {
        OutputDir.requireWritable(dir, "the output dir");
        try {
            Files.createDirectories(dir);
            return dir;
        } catch (IOException e) {
            throw new BadInputException("cannot create directory " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Metadata of a block, written as block.json. {@code events} says which events of the data dir the block was
     * made from ({@link ChallengeDataDir#eventsSource()}: input or all); null when not known (e.g. a combination).
     */
    public record Meta(String component, int dims, long rows, String dtype, Map<String, Object> config, long seed,
            String inputFingerprint, String codeVersion, double wallSeconds, String createdAt, String events) {
        public Meta {
            if (component == null || component.isBlank()) {
                throw new IllegalArgumentException("component is required");
            }
            if (dims < 0 || rows < 0) {
                throw new IllegalArgumentException("dims and rows must be >= 0");
            }
            config = config == null ? Map.of() : Map.copyOf(new LinkedHashMap<>(config));
        }

        /** Metadata for a block made now by this code version. */
        public static Meta of(String component, int dims, long rows, String dtype, Map<String, Object> config,
                long seed, String inputFingerprint, double wallSeconds) {
            return new Meta(component, dims, rows, dtype, config, seed, inputFingerprint, Version.CODE, wallSeconds,
                    Instant.now().toString(), null);
        }

        /** This metadata with the events source of the data dir the block was made from. */
        public Meta withEvents(ChallengeDataDir data) {
            return withEvents(data.eventsSource());
        }

        /** This metadata with an events source ({@link ChallengeDataDir#EVENTS_INPUT} or {@code EVENTS_ALL}). */
        public Meta withEvents(String source) {
            return new Meta(component, dims, rows, dtype, config, seed, inputFingerprint, codeVersion, wallSeconds,
                    createdAt, source);
        }

        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("component", component);
            m.put("dims", dims);
            m.put("rows", rows);
            m.put("dtype", dtype);
            if (events != null) {
                m.put("events", events);
            }
            m.put("config", new java.util.TreeMap<>(config));
            m.put("seed", seed);
            m.put("input_fingerprint", inputFingerprint);
            m.put("code_version", codeVersion);
            m.put("wall_seconds", wallSeconds);
            m.put("created_at", createdAt);
            return m;
        }

        @SuppressWarnings("unchecked")
        public static Meta fromMap(Map<String, Object> m) {
            return new Meta(String.valueOf(m.get("component")), ((Number) m.get("dims")).intValue(),
                    ((Number) m.get("rows")).longValue(), String.valueOf(m.get("dtype")),
                    (Map<String, Object>) m.getOrDefault("config", Map.of()),
                    ((Number) m.getOrDefault("seed", 0L)).longValue(), String.valueOf(m.get("input_fingerprint")),
                    String.valueOf(m.get("code_version")),
                    ((Number) m.getOrDefault("wall_seconds", 0.0)).doubleValue(), String.valueOf(m.get("created_at")),
                    m.get("events") == null ? null : String.valueOf(m.get("events")));
        }
    }

    public void writeMeta(Meta meta) {
        createDirs();
        AtomicFiles.writeString(metaFile(), Json.write(meta.toMap()));
    }

    public Meta readMeta() {
        try {
            return Meta.fromMap(Json.parseObject(Files.readString(metaFile(), StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassCastException | NullPointerException e) {
            throw new BadInputException("malformed " + metaFile() + ": " + e.getMessage(), e);
        }
    }

    /** The events source in block.json ({@link Meta#events()}); null without block.json or when not recorded. */
    public String events() {
        return Files.isRegularFile(metaFile()) ? readMeta().events() : null;
    }

    @Override
    public String toString() {
        return dir.toString();
    }
}
