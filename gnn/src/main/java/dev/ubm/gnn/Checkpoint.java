package dev.ubm.gnn;

import dev.ubm.core.AtomicFiles;
import dev.ubm.core.Json;
import dev.ubm.data.Npy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Epoch checkpoints of TwHIN training: {@code epoch-NNNN/} holds the embedding table, the Adagrad state and the
 * relation vectors as .npy files plus {@code state.json}, written last, so a directory without state.json (a kill
 * mid-write) is ignored. Only the newest complete epoch is kept. A checkpoint is resumed only when its key (graph
 * fingerprint + config) matches.
 */
final class Checkpoint {
    private static final String STATE = "state.json";
    private final Path dir;

    Checkpoint(Path dir) {
        this.dir = dir;
    }

    /** What was restored: epochs done and the losses of those epochs. */
    record Loaded(int epochsDone, List<Double> losses) {
    }

    void save(int epochsDone, String key, List<Double> losses, FloatTable table, float[] acc, float[] rel,
            float[] relAcc) {
        Path ep = dir.resolve(String.format("epoch-%04d", epochsDone));
        try {
            if (Files.exists(ep)) {
                AtomicFiles.deleteTree(ep);
            }
            Files.createDirectories(ep);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + ep, e);
        }
        table.writeNpy(ep.resolve("table.npy"));
        Npy.writeFloat32(ep.resolve("adagrad.npy"), acc, acc.length, 1);
        Npy.writeFloat32(ep.resolve("relations.npy"), rel, relAcc.length, rel.length / relAcc.length);
        Npy.writeFloat32(ep.resolve("relations_adagrad.npy"), relAcc, relAcc.length, 1);
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("epochs_done", epochsDone);
        s.put("key", key);
        s.put("losses", new ArrayList<>(losses));
        AtomicFiles.writeString(ep.resolve(STATE), Json.write(s));
        for (Path old : epochDirs()) {
            if (!old.equals(ep)) {
                AtomicFiles.deleteTree(old);
            }
        }
    }

    /** Restores the newest complete checkpoint with this key into the given arrays; null when there is none. */
    Loaded load(String key, FloatTable table, float[] acc, float[] rel, float[] relAcc, Consumer<String> log) {
        List<Path> eps = epochDirs();
        for (int i = eps.size() - 1; i >= 0; i--) {
            Path ep = eps.get(i);
            Path state = ep.resolve(STATE);
            if (!Files.isRegularFile(state)) {
                continue;
            }
            try {
                Map<String, Object> s = Json.parseObject(Files.readString(state, StandardCharsets.UTF_8));
                if (!key.equals(s.get("key"))) {
                    log.accept("twhin: checkpoint " + ep + " was made on another graph or config; starting fresh");
                    return null;
                }
                table.readNpy(ep.resolve("table.npy"));
                copy(Npy.readFloats(ep.resolve("adagrad.npy")).data(), acc);
                copy(Npy.readFloats(ep.resolve("relations.npy")).data(), rel);
                copy(Npy.readFloats(ep.resolve("relations_adagrad.npy")).data(), relAcc);
                List<Double> losses = new ArrayList<>();
                for (Object o : (List<?>) s.get("losses")) {
                    losses.add(((Number) o).doubleValue());
                }
                return new Loaded(((Number) s.get("epochs_done")).intValue(), losses);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read checkpoint " + ep, e);
            }
        }
        return null;
    }

    private static void copy(float[] from, float[] to) {
        if (from.length != to.length) {
            throw new IllegalStateException("checkpoint array has " + from.length + " values, expected " + to.length);
        }
        System.arraycopy(from, 0, to, 0, to.length);
    }

    private List<Path> epochDirs() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().matches("epoch-\\d{4,}") && Files.isDirectory(p))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    /** Deletes a directory tree (best effort for files that vanish meanwhile). */
}
