package dev.ubm.features;

import dev.ubm.core.AtomicFiles;
import dev.ubm.core.BadInputException;
import dev.ubm.core.BlockDir;
import dev.ubm.core.ChallengeDataDir;
import dev.ubm.core.EventType;
import dev.ubm.core.Fingerprint;
import dev.ubm.core.Task;
import dev.ubm.data.Duck;
import dev.ubm.data.EventStore;
import dev.ubm.data.Npy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a feature block dir from a data dir: {@code embeddings.npy} (float32, one row per relevant client),
 * {@code client_ids.npy}, {@code features.txt} (the feature names, one per line, in column order),
 * {@code features.sql} (the SQL as run) and {@code block.json} (written last). The one entry point of this module.
 */
public final class FeatureBlocks {
    /** Events per chunk of clients above which the work is split (keeps DuckDB's tables well inside memory). */
    public static final long EVENTS_PER_CHUNK = 40_000_000L;
    public static final String FEATURE_NAMES = "features.txt";
    public static final String FEATURE_SQL = "features.sql";

    private FeatureBlocks() {
    }

    /** Builds the block with an automatic number of client chunks. */
    public static BlockDir.Meta build(ChallengeDataDir data, FeatureConfig cfg, Path outDir) {
        return build(data, cfg, outDir, 0);
    }

    /**
     * Builds the block; {@code chunks} &gt; 0 fixes how many chunks of clients are processed one after the other
     * (0 = one per {@link #EVENTS_PER_CHUNK} events). The result does not depend on the number of chunks.
     */
    public static BlockDir.Meta build(ChallengeDataDir data, FeatureConfig cfg, Path outDir, int chunks) {
        long t0 = System.nanoTime();
        data.require(ChallengeDataDir.Need.EVENTS);
        BlockDir block = new BlockDir(outDir);
        block.createDirs();
        AtomicFiles.deleteQuietly(block.metaFile());
        Path spill = block.dir().resolve(".duckdb-spill");
        try (EventStore store = EventStore.open(data)) {
            Sql.exec(store.connection(), data.root(), "spill dir", "SET temp_directory = " + Duck.sqlPath(spill));
            long inputEvents = Sql.queryLong(store.connection(), "SELECT COUNT(*) FROM events", 0);
            int k = chunks > 0 ? chunks : autoChunks(inputEvents);
            Writer sink = new Writer(block);
            Map<String, Object> info;
            String sqlLog;
            try {
                if (cfg.set() == FeatureSet.FULL) {
                    FullFeatures f = new FullFeatures(store, cfg);
                    info = f.run(k, sink);
                    sqlLog = f.sqlLog();
                } else {
                    BaselineFeatures f = new BaselineFeatures(store, cfg);
                    info = f.run(k, sink);
                    sqlLog = f.sqlLog();
                }
                sink.finish();
            } catch (RuntimeException e) {
                sink.abort();
                throw e;
            }
            AtomicFiles.writeString(block.dir().resolve(FEATURE_NAMES), String.join("\n", sink.names) + "\n");
            AtomicFiles.writeString(block.dir().resolve(FEATURE_SQL), "-- ubm features --set " + cfg.set().cliName()
                    + " (" + cfg.set().cliName() + "/" + cfg.set().version() + "), the statements of the first chunk\n\n"
                    + sqlLog);
            double wall = (System.nanoTime() - t0) / 1e9;
            Map<String, Object> config = new LinkedHashMap<>(cfg.toMap());
            config.putAll(info);
            long events = ((Number) info.get("events")).longValue();
            config.put("events_per_second", Math.round(events / Math.max(wall, 1e-9)));
            config.put("input_events", inputEvents);
            config.put("input_events_per_second", Math.round(inputEvents / Math.max(wall, 1e-9)));
            config.put("feature_names", sink.names);
            config.put("data_dir", data.root().toString());
            config.put("events_dir", data.eventsDir().toString());
            BlockDir.Meta meta = BlockDir.Meta.of(cfg.set() == FeatureSet.FULL ? "features" : "baseline",
                    sink.names.size(), sink.rows, "float32", config, cfg.seed(), fingerprint(data), wall).withEvents(data);
            block.writeMeta(meta);
            return meta;
        } finally {
            AtomicFiles.deleteTree(spill);
        }
    }

    private static int autoChunks(long n) {
        return (int) Math.max(1, Math.min(64, (n + EVENTS_PER_CHUNK - 1) / EVENTS_PER_CHUNK));
    }

    /** Fingerprint of everything a feature block reads. */
    static String fingerprint(ChallengeDataDir data) {
        List<Path> files = new ArrayList<>();
        for (EventType t : EventType.values()) {
            files.add(data.eventFile(t));
        }
        files.add(data.propertiesFile());
        files.add(data.relevantClientsFile());
        files.add(data.targetListFile(Task.PROPENSITY_CATEGORY));
        files.add(data.targetListFile(Task.PROPENSITY_SKU));
        return Fingerprint.of(files.toArray(Path[]::new));
    }

    /** Writes rows as they stream in; checks every value is finite, naming the client and feature otherwise. */
    private static final class Writer implements RowSink {
        private final BlockDir block;
        private List<String> names;
        private Npy.RowWriter rowWriter;
        private long[] ids = new long[1024];
        private long rows;

        Writer(BlockDir block) {
            this.block = block;
        }

        @Override
        public void begin(List<String> names) {
            this.names = List.copyOf(names);
            rowWriter = Npy.RowWriter.open(block.embeddingsFile(), Npy.Dtype.FLOAT32, names.size());
        }

        @Override
        public void row(long clientId, float[] values) {
            for (int j = 0; j < values.length; j++) {
                if (!Float.isFinite(values[j])) {
                    throw new BadInputException("feature " + names.get(j) + " of client " + clientId + " is "
                            + values[j] + " (a feature SQL bug or an odd input value)");
                }
            }
            if (rows == ids.length) {
                ids = Arrays.copyOf(ids, ids.length * 2);
            }
            ids[(int) rows++] = clientId;
            rowWriter.appendRow(values);
        }

        void finish() {
            if (rowWriter == null) {
                throw new IllegalStateException("no feature names were produced");
            }
            rowWriter.close();
            Npy.writeLongs(block.clientIdsFile(), Arrays.copyOf(ids, (int) rows));
        }

        void abort() {
            if (rowWriter != null) {
                rowWriter.abort();
            }
        }
    }
}
