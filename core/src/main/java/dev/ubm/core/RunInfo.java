package dev.ubm.core;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What every stage writes next to its output ({@code run.json}): the stage, its config, the seed, the input
 * fingerprint, the code version and the wall time, so any result can be reproduced.
 */
public final class RunInfo {
    public static final String FILE = "run.json";

    private RunInfo() {
    }

    public static void write(Path outDir, String stage, Map<String, Object> config, long seed, String fingerprint,
            double wallSeconds) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("stage", stage);
        m.put("config", new TreeMap<>(config));
        m.put("seed", seed);
        m.put("input_fingerprint", fingerprint);
        m.put("code_version", Version.CODE);
        m.put("wall_seconds", wallSeconds);
        m.put("created_at", Instant.now().toString());
        AtomicFiles.writeString(outDir.resolve(FILE), Json.write(m));
    }
}
