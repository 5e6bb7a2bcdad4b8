package dev.ubm.nn;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/** Optimizer state a {@link Checkpoint} saves and restores (moments, step counts), so a resumed run is exact. */
public interface OptimizerState {
    void save(DataOutputStream out) throws IOException;

    void load(DataInputStream in) throws IOException;
}
