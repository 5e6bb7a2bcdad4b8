package dev.ubm.probes;

import dev.ubm.core.ChallengeDataDir;
import dev.ubm.data.Npy;
import dev.ubm.data.split.Splitter;
import dev.ubm.data.synth.SynthConfig;
import dev.ubm.data.synth.SyntheticWorld;

import java.nio.file.Path;
import java.util.Random;

/** Tiny worlds for probe tests: a synthesized and split world (400 relevant clients) and embeddings for it. */
public final class ProbeWorlds {
    private ProbeWorlds() {
    }

    /** Synthesizes and splits a tiny world (with its oracle) into {@code dir}. */
    public static ChallengeDataDir tiny(Path dir, long seed) {
        SyntheticWorld.generate(SynthConfig.tiny(seed), dir);
        Splitter.split(new Splitter.Config(dir, null, seed, false));
        return ChallengeDataDir.open(dir);
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
        return ids;
    }
}
