package dev.ubm.encoders.dcn;

import dev.ubm.core.BadInputException;
import dev.ubm.core.BlockDir;
import dev.ubm.data.Npy;

import java.util.HashMap;
import java.util.Map;

/**
 * The DCN's inputs for a list of clients, as plain row-major arrays aligned to that list: the numeric features
 * (rows × featureDims) and the frozen sequence vector (rows × seqDims; 0 columns when there is none). Rows of
 * clients missing from a block stay 0 and are counted.
 */
public record DcnInputs(long[] clientIds, float[] features, int featureDims, float[] seq, int seqDims,
        int missingFeatureRows, int missingSeqRows) {
    public DcnInputs {
        int n = clientIds.length;
        if (features.length != (long) n * featureDims || seq.length != (long) n * seqDims) {
            throw new IllegalArgumentException("input arrays do not match " + n + " rows");
        }
        if (featureDims < 1) {
            throw new IllegalArgumentException("the DCN needs at least one numeric feature");
        }
    }

    public int rows() {
        return clientIds.length;
    }

    /** Inputs from arrays already aligned to {@code clientIds} (tests, callers that computed them). */
    public static DcnInputs of(long[] clientIds, float[] features, int featureDims, float[] seq, int seqDims) {
        return new DcnInputs(clientIds, features, featureDims, seq == null ? new float[0] : seq,
                seq == null ? 0 : seqDims, 0, 0);
    }

    /** Several inputs with the same columns stacked row-wise (e.g. the same clients at several as-of dates). */
    public static DcnInputs stack(java.util.List<DcnInputs> parts) {
        DcnInputs first = parts.get(0);
        int n = 0;
        for (DcnInputs p : parts) {
            if (p.featureDims() != first.featureDims() || p.seqDims() != first.seqDims()) {
                throw new IllegalArgumentException("inputs to stack have different columns");
            }
            n += p.rows();
        }
        long[] ids = new long[n];
        float[] f = new float[n * first.featureDims()];
        float[] s = new float[n * first.seqDims()];
        int r = 0;
        int missF = 0;
        int missS = 0;
        for (DcnInputs p : parts) {
            System.arraycopy(p.clientIds(), 0, ids, r, p.rows());
            System.arraycopy(p.features(), 0, f, r * first.featureDims(), p.features().length);
            System.arraycopy(p.seq(), 0, s, r * first.seqDims(), p.seq().length);
            r += p.rows();
            missF += p.missingFeatureRows();
            missS += p.missingSeqRows();
        }
        return new DcnInputs(ids, f, first.featureDims(), s, first.seqDims(), missF, missS);
    }

    /** Reads a features block and an optional seq block and aligns both to {@code order}. */
    public static DcnInputs load(long[] order, BlockDir features, BlockDir seq) {
        Aligned f = align(order, features);
        Aligned s = seq == null ? new Aligned(new float[0], 0, 0) : align(order, seq);
        return new DcnInputs(order, f.data, f.cols, s.data, s.cols, f.missing, seq == null ? 0 : s.missing);
    }

    private record Aligned(float[] data, int cols, int missing) {
    }

    private static Aligned align(long[] order, BlockDir block) {
        block.requireComplete();
        long[] ids = Npy.readLongs(block.clientIdsFile());
        Npy.FloatMatrix m = Npy.readFloats(block.embeddingsFile());
        if (m.rows() != ids.length) {
            throw new BadInputException(block.embeddingsFile() + " has " + m.rows() + " rows but "
                    + block.clientIdsFile() + " has " + ids.length + " ids");
        }
        Map<Long, Integer> row = new HashMap<>(ids.length * 2);
        for (int i = 0; i < ids.length; i++) {
            row.put(ids[i], i);
        }
        int cols = m.cols();
        float[] out = new float[order.length * cols];
        int missing = 0;
        for (int i = 0; i < order.length; i++) {
            Integer r = row.get(order[i]);
            if (r == null) {
                missing++;
                continue;
            }
            System.arraycopy(m.data(), r * cols, out, i * cols, cols);
        }
        return new Aligned(out, cols, missing);
    }
}
