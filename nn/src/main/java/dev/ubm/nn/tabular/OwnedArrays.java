package dev.ubm.nn.tabular;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Creates NDArrays from Java arrays in memory that libtorch owns. On CPU, {@code NDManager.create(float[])} wraps
 * a Java direct buffer (torch from_blob); in a training loop with two intra-op threads this gave non-reproducible
 * results and sporadic garbage gradients (NaN), which a copy into torch-owned memory ({@code duplicate()}) removed.
 */
public final class OwnedArrays {
    private OwnedArrays() {
    }

    /** A float32 array of the given shape holding a copy of {@code data}, attached to {@code manager}. */
    public static NDArray floats(NDManager manager, float[] data, Shape shape) {
        try (NDArray wrapped = manager.create(data, shape)) {
            return wrapped.duplicate();
        }
    }
}
