package dev.ubm.probes;

import dev.ubm.core.Task;
import dev.ubm.probes.targets.Labels;
import dev.ubm.probes.targets.TaskTargets;

import java.util.Random;

/**
 * Hand-made probe inputs: labels and embeddings where the answer is known. {@link #signal} plants each label as an
 * embedding column (train labels = validation labels), so a probe must reach AUROC ~1; {@link #noise} uses
 * Gaussian embeddings and validation labels drawn independently of the train labels, so AUROC must be ~0.5.
 */
public final class Planted {
    public final Embeddings x;
    public final TaskTargets targets;

    private Planted(Embeddings x, TaskTargets targets) {
        this.x = x;
        this.targets = targets;
    }

    public static Planted signal(Task task, int n, int extraDims, long seed) {
        return make(task, n, extraDims, seed, true);
    }

    public static Planted noise(Task task, int n, int dims, long seed) {
        return make(task, n, dims, seed, false);
    }

    private static Planted make(Task task, int n, int dims, long seed, boolean planted) {
        Random r = new Random(seed);
        int width = task.isBinary() ? 1 : 4;
        byte[] train = new byte[n * width];
        byte[] valid = new byte[n * width];
        for (int i = 0; i < train.length; i++) {
            train[i] = (byte) (r.nextDouble() < 0.3 ? 1 : 0);
            valid[i] = planted ? train[i] : (byte) (r.nextDouble() < 0.3 ? 1 : 0);
        }
        int d = planted ? width + dims : dims;
        float[] emb = new float[n * d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                emb[i * d + j] = planted && j < width ? train[i * width + j] : (float) r.nextGaussian();
            }
        }
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) {
            rows[i] = i;
        }
        long[] list = task.isBinary() ? new long[0] : new long[] {101, 102, 103, 104};
        long[] pop = task.isBinary() ? new long[0] : new long[] {40, 30, 20, 10};
        TaskTargets t = new TaskTargets(task, rows, Labels.ofDense(train, n, width), Labels.ofDense(valid, n, width),
                list, pop);
        return new Planted(Embeddings.of(emb, n, d), t);
    }
}
