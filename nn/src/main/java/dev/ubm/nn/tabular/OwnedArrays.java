package dev.ubm.nn.tabular;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Creates NDArrays in memory that libtorch owns. On CPU, {@code NDManager.create(float[])} wraps a Java direct buffer
 * (torch from_blob), and DJL's scalar ops ({@code x.mul(2f)}, {@code div}, {@code maximum(0f)}, …) create such a
 * scalar tensor and close it right after the op: when autograd saved it for the backward pass, the backward reads
 * memory the JVM may already have freed. Symptoms: non-reproducible losses and, after a while, garbage gradients
 * (1e19) and NaN. Use {@link #floats} for inputs and {@link #scalar} (kept alive by the manager until the step ends)
 * instead of Number arguments in anything that is differentiated; use {@code Activation.relu} for ReLU.
 */
public final class OwnedArrays {
    private OwnedArrays() {
    }

    /** A one-element float32 array (shape (1), broadcasts) holding {@code v}, in torch-owned memory. */
    public static NDArray scalar(NDManager manager, float v) {
        return floats(manager, new float[] {v}, new Shape(1));
    }

    /** A float32 array of the given shape holding a copy of {@code data}, attached to {@code manager}. */
    public static NDArray floats(NDManager manager, float[] data, Shape shape) {
        try (NDArray wrapped = manager.create(data, shape)) {
            return wrapped.duplicate();
        }
    }
}
