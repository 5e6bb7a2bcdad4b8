package dev.ubm.features;

import dev.ubm.core.AtomicFiles;
import dev.ubm.core.BadInputException;
import dev.ubm.core.BlockDir;
import dev.ubm.core.ChallengeDataDir;
import dev.ubm.core.StageListener;
import dev.ubm.data.Duck;
import dev.ubm.data.EventStore;
import dev.ubm.data.Npy;

import java.nio.file.Path;
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

    /** The stage: builds the block with an automatic number of client chunks. */
    public static BlockDir.Meta run(ChallengeDataDir data, FeatureConfig cfg, Path outDir, StageListener listener) {
        return run(data, cfg, outDir, listener, 0);
    }

    /**
     * The same features as the block {@code like} (the config its block.json records) on another data dir, e.g. the
     * data dir as of an earlier date.
     */
    public static BlockDir.Meta rebuild(BlockDir like, ChallengeDataDir data, Path outDir, StageListener listener) {
        like.requireFinished();
        BlockDir.Meta meta = like.readMeta();
        if (meta.config().get("set") == null) {
            throw new BadInputException(like.metaFile() + " is not a feature block (no config.set; component "
                    + meta.component() + ")");
        }
        return run(data, FeatureConfig.fromMap(meta.config(), meta.seed()), outDir, listener);
    }

    /**
     * Builds the block; {@code chunks} &gt; 0 fixes how many chunks of clients are processed one after the other
     * (0 = one per {@link #EVENTS_PER_CHUNK} events). The result does not depend on the number of chunks.
     */
    public static BlockDir.Meta run(ChallengeDataDir data, FeatureConfig cfg, Path outDir, StageListener listener,
            int chunks) {
        long t0 = System.nanoTime();
        data.require(ChallengeDataDir.Need.EVENTS);
        try (BlockDir.Build build = new BlockDir(outDir).build()) {
            BlockDir block = build.block();
            Path spill = block.dir().resolve(".duckdb-spill");
            BlockDir.Meta meta;
            try (EventStore store = EventStore.open(data)) {
                Sql.exec(store.connection(), data.root(), "spill dir", "SET temp_directory = " + Duck.sqlPath(spill));
                long inputEvents = Sql.queryLong(store.connection(), "SELECT COUNT(*) FROM events", 0);
                int k = chunks > 0 ? chunks : autoChunks(inputEvents);
                listener.progress("features --set " + cfg.set().cliName() + ": " + inputEvents + " events from "
                        + data.eventsDir() + " in " + k + " chunk(s) of clients");
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
                AtomicFiles.writeString(block.dir().resolve(FEATURE_SQL), "-- ubm features --set "
                        + cfg.set().cliName() + " (" + cfg.set().cliName() + "/" + cfg.set().version()
                        + "), the statements of the first chunk\n\n" + sqlLog);
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
                meta = BlockDir.Meta.of(cfg.set() == FeatureSet.FULL ? "features" : "baseline",
                        sink.names.size(), sink.rows, "float32", config, cfg.seed(), data.inputFingerprint(), wall);
            } finally {
                AtomicFiles.deleteTree(spill);
            }
            return build.publish(meta);
        }
    }

    private static int autoChunks(long n) {
        return (int) Math.max(1, Math.min(64, (n + EVENTS_PER_CHUNK - 1) / EVENTS_PER_CHUNK));
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
