package dev.ubm.probes;

import dev.ubm.core.ChallengeDataDir;
import dev.ubm.data.Npy;

import java.nio.file.Path;
import java.util.Random;

/** Embeddings for probe tests on the shared tiny worlds ({@link dev.ubm.data.TestWorlds}). */
public final class ProbeWorlds {
    private ProbeWorlds() {
    }

    /** Writes a block dir with the relevant clients (in a shuffled order) and Gaussian float32 embeddings. */
    public static long[] randomBlock(ChallengeDataDir data, Path dir, int dims, long seed) {
        long[] ids = Npy.readLongs(data.relevantClientsFile()).clone();
        Random r = new Random(seed);
        for (int i = ids.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            long t = ids[i];
            ids[i] = ids[j];
            ids[j] = t;
        }
        float[] emb = new float[ids.length * dims];
        for (int i = 0; i < emb.length; i++) {
            emb[i] = (float) r.nextGaussian();
        }
        Npy.writeLongs(dir.resolve("client_ids.npy"), ids);
        Npy.writeFloat32(dir.resolve("embeddings.npy"), emb, ids.length, dims);
        new dev.ubm.core.BlockDir(dir).writeMeta(dev.ubm.core.BlockDir.Meta.of("test", dims, ids.length, "float32",
                java.util.Map.of(), 0, "test", 0));
        return ids;
    }
}
