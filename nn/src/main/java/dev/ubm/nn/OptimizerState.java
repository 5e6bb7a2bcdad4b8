package dev.ubm.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/** Optimizer state a {@link Checkpoint} saves and restores (moments, step counts), so a resumed run is exact. */
public interface OptimizerState {
    void save(DataOutputStream out) throws IOException;

    void load(DataInputStream in) throws IOException;

    /** Writes one array as its length-prefixed DJL encoding (the format {@link #readArray} reads). */
    static void writeArray(DataOutputStream out, NDArray a) throws IOException {
        byte[] b = a.encode();
        out.writeInt(b.length);
        out.write(b);
    }

    /** Reads one array written by {@link #writeArray} into {@code manager}. */
    static NDArray readArray(DataInputStream in, NDManager manager) throws IOException {
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        return NDArray.decode(manager, b);
    }
}
