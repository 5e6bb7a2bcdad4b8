package dev.ubm.data.split;

import dev.ubm.core.BadInputException;
import dev.ubm.core.Json;
import dev.ubm.core.RunInfo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What an earlier {@code ubm split} wrote into a dir, read from its {@code target/run.json} (config key
 * {@value #WRITTEN}: paths relative to the dir). The rule of the splitter: a file that exists and is not in this
 * record was given by the user (e.g. the organisers' target lists) and is never replaced. A split record from before
 * the key existed counts as having written every output (that splitter wrote them all).
 */
record SplitRecord(Set<String> written, boolean all) {
    /** Config key of run.json listing the files split wrote. */
    static final String WRITTEN = "written";

    static final SplitRecord NONE = new SplitRecord(Set.of(), false);

    /** The record of {@code dir/target/run.json}; {@link #NONE} when there is none or it is another stage's. */
    @SuppressWarnings("unchecked")
    static SplitRecord of(Path dir) {
        Path f = dir.resolve("target").resolve(RunInfo.FILE);
        if (!Files.isRegularFile(f)) {
            return NONE;
        }
        Map<String, Object> m;
        try {
            m = Json.parseObject(Files.readString(f, StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            throw new BadInputException(f + ": cannot read ubm's split record (" + e.getMessage() + "); it says which "
                    + "files ubm wrote and may replace. Remove it only if no file under target/ or input/ was given "
                    + "to ubm (e.g. the organisers' target lists)", e);
        }
        if (!"split".equals(m.get("stage"))) {
            return NONE;
        }
        Object config = m.get("config");
        Object w = config instanceof Map<?, ?> c ? c.get(WRITTEN) : null;
        if (w == null) {
            return new SplitRecord(Set.of(), true);
        }
        Set<String> files = new HashSet<>();
        for (Object o : (List<Object>) w) {
            files.add(String.valueOf(o));
        }
        return new SplitRecord(files, false);
    }

    /** True when split wrote {@code relative} (a path relative to the dir, '/'-separated) before. */
    boolean wrote(String relative) {
        return all || written.contains(relative);
    }
}
