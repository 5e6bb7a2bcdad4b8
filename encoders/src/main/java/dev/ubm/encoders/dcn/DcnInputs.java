package dev.ubm.encoders.dcn;

import dev.ubm.core.BadInputException;
import dev.ubm.core.BlockDir;
import dev.ubm.data.Npy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The DCN's inputs for a list of clients, as plain row-major arrays aligned to that list: the numeric features
 * (rows × featureDims) and the frozen side blocks (sequence, graph, another feature set …) concatenated column-wise
 * (rows × sideDims; 0 columns when there is none). Rows of clients missing from a block stay 0 and are counted, per
 * side block in {@code missingSideRows}.
 */
public record DcnInputs(long[] clientIds, float[] features, int featureDims, float[] side, int sideDims,
        int missingFeatureRows, int[] missingSideRows) {
    public DcnInputs {
        int n = clientIds.length;
        if (features.length != (long) n * featureDims || side.length != (long) n * sideDims) {
            throw new IllegalArgumentException("input arrays do not match " + n + " rows");
        }
        if (featureDims < 1) {
            throw new IllegalArgumentException("the DCN needs at least one numeric feature");
        }
        missingSideRows = missingSideRows.clone();
    }

    public int rows() {
        return clientIds.length;
    }

    /** Inputs from arrays already aligned to {@code clientIds} (tests, callers that computed them). */
    public static DcnInputs of(long[] clientIds, float[] features, int featureDims, float[] side, int sideDims) {
        return new DcnInputs(clientIds, features, featureDims, side == null ? new float[0] : side,
                side == null ? 0 : sideDims, 0, side == null ? new int[0] : new int[1]);
    }

    /**
     * Several inputs with the same columns stacked row-wise (e.g. the same clients at several as-of dates); one part
     * is returned as it is (at the challenge's size a copy of the feature rows alone is 2.2 GB).
     */
    public static DcnInputs stack(List<DcnInputs> parts) {
        DcnInputs first = parts.get(0);
        if (parts.size() == 1) {
            return first;
        }
        int n = 0;
        for (DcnInputs p : parts) {
            if (p.featureDims() != first.featureDims() || p.sideDims() != first.sideDims()
                    || p.missingSideRows().length != first.missingSideRows().length) {
                throw new IllegalArgumentException("inputs to stack have different columns");
            }
            n += p.rows();
        }
        long[] ids = new long[n];
        float[] f = new float[n * first.featureDims()];
        float[] s = new float[n * first.sideDims()];
        int r = 0;
        int missF = 0;
        int[] missS = new int[first.missingSideRows().length];
        for (DcnInputs p : parts) {
            System.arraycopy(p.clientIds(), 0, ids, r, p.rows());
            System.arraycopy(p.features(), 0, f, r * first.featureDims(), p.features().length);
            System.arraycopy(p.side(), 0, s, r * first.sideDims(), p.side().length);
            r += p.rows();
            missF += p.missingFeatureRows();
            for (int b = 0; b < missS.length; b++) {
                missS[b] += p.missingSideRows()[b];
            }
        }
        return new DcnInputs(ids, f, first.featureDims(), s, first.sideDims(), missF, missS);
    }

    /** Reads a features block and any number of side blocks and aligns them to {@code order}. */
    public static DcnInputs load(long[] order, BlockDir features, List<BlockDir> sides) {
        Aligned f = align(order, features);
        List<Aligned> parts = new ArrayList<>();
        int cols = 0;
        for (BlockDir b : sides) {
            Aligned a = align(order, b);
            parts.add(a);
            cols += a.cols;
        }
        float[] side = new float[order.length * cols];
        int[] missing = new int[parts.size()];
        int at = 0;
        for (int k = 0; k < parts.size(); k++) {
            Aligned a = parts.get(k);
            for (int i = 0; i < order.length; i++) {
                System.arraycopy(a.data, i * a.cols, side, i * cols + at, a.cols);
            }
            at += a.cols;
            missing[k] = a.missing;
        }
        return new DcnInputs(order, f.data, f.cols, side, cols, f.missing, missing);
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
