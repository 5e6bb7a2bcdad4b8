package dev.ubm.nn;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;

import dev.ubm.core.AtomicFiles;
import dev.ubm.core.Json;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * One training checkpoint in one file, written atomically: a JSON header (epoch, config, anything the trainer
 * needs to resume), the block's parameters and the optimizer's moments. A killed run leaves either the previous
 * checkpoint or the new one, never half of one.
 */
public final class Checkpoint {
    private static final int MAGIC = 0x55424d43; // "UBMC"
    /** 2: AdamW moments are stored scaled (m/(1-b1), v/(1-b2)); a version-1 checkpoint is not resumed. */
    private static final int VERSION = 2;

    private Checkpoint() {
    }

    /** Saves meta + parameters + optimizer state to {@code file} (temp file, then rename). */
    public static void save(Path file, Map<String, Object> meta, Block block, OptimizerState... optimizers) {
        AtomicFiles.write(file, os -> {
            DataOutputStream out = new DataOutputStream(os);
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            writeString(out, Json.write(meta));
            block.saveParameters(out);
            out.writeInt(optimizers.length);
            for (OptimizerState o : optimizers) {
                o.save(out);
            }
            out.flush();
        });
    }

    /** Reads only the JSON header, or empty when the file is missing or not a checkpoint. */
    public static Optional<Map<String, Object>> readMeta(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try (DataInputStream in = open(file)) {
            return Optional.of(header(in));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Loads parameters (and the optimizers' state, in the order they were saved) into an initialized block of the
     * same structure; returns the header.
     */
    public static Map<String, Object> load(Path file, Block block, NDManager manager, OptimizerState... optimizers) {
        try (DataInputStream in = open(file)) {
            Map<String, Object> meta = header(in);
            block.loadParameters(manager, in);
            for (Pair<String, Parameter> p : block.getParameters()) {
                if (p.getValue().requiresGradient()) {
                    p.getValue().getArray().setRequiresGradient(true);
                }
            }
            int n = in.readInt();
            if (n != optimizers.length) {
                throw new IOException("checkpoint holds " + n + " optimizer states, " + optimizers.length + " expected");
            }
            for (OptimizerState o : optimizers) {
                o.load(in);
            }
            return meta;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoint " + file + ": " + e.getMessage(), e);
        } catch (MalformedModelException e) {
            throw new IllegalStateException("checkpoint " + file + " does not match the model: " + e.getMessage(), e);
        }
    }

    /**
     * Loads only the parameters into an initialized block of the same structure (inference with a trained model;
     * the optimizer state is skipped); returns the header.
     */
    public static Map<String, Object> loadParameters(Path file, Block block, NDManager manager) {
        try (DataInputStream in = open(file)) {
            Map<String, Object> meta = header(in);
            block.loadParameters(manager, in);
            return meta;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoint " + file + ": " + e.getMessage(), e);
        } catch (MalformedModelException e) {
            throw new IllegalStateException("checkpoint " + file + " does not match the model: " + e.getMessage(), e);
        }
    }

    private static DataInputStream open(Path file) throws IOException {
        return new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16));
    }

    private static Map<String, Object> header(DataInputStream in) throws IOException {
        if (in.readInt() != MAGIC) {
            throw new IOException("not a ubm checkpoint");
        }
        int v = in.readInt();
        if (v != VERSION) {
            throw new IOException("checkpoint version " + v + ", expected " + VERSION);
        }
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        return Json.parseObject(new String(b, java.nio.charset.StandardCharsets.UTF_8));
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }
}
