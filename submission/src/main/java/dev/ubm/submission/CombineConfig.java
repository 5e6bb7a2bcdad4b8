package dev.ubm.submission;

import dev.ubm.core.BadInputException;
import dev.ubm.core.ConfigMap;
import dev.ubm.data.BlockCheck;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@code ubm combine} does, checked once.
 *
 * @param blocks     the input blocks, in output column order
 * @param maxDims    the most columns the output may have (the organisers allow 2048)
 * @param pcaAbove   a block wider than this (after scaling) is reduced by PCA to {@code pcaDims} columns
 * @param pcaDims    the PCA size for such blocks (a block's own {@link BlockSpec#pcaDims()} wins)
 * @param fitRows    at most this many rows (a seeded sample) fit the scalers and the PCA
 * @param quantiles  reference points of the quantile scaling (sklearn's n_quantiles)
 * @param clip       standard scaling clips to ±clip (0 = no clipping)
 * @param seed       seeds the fit sample, the PCA start and the row shuffle
 */
public record CombineConfig(List<BlockSpec> blocks, int maxDims, int pcaAbove, int pcaDims, int fitRows, int quantiles,
        double clip, long seed) {
    public static final int DEFAULT_PCA_ABOVE = 1024;
    public static final int DEFAULT_PCA_DIMS = 256;
    public static final int DEFAULT_FIT_ROWS = 100_000;
    public static final int DEFAULT_QUANTILES = 1000;
    /** Standard scaling clips z-scores of heavy-tailed counts to ±5 by default. */
    public static final double DEFAULT_CLIP = 5;

    public CombineConfig {
        blocks = List.copyOf(blocks);
        if (blocks.isEmpty()) {
            throw new BadInputException("combine needs at least one block (--blocks)");
        }
        Set<String> names = new HashSet<>();
        for (BlockSpec b : blocks) {
            if (!names.add(b.name())) {
                throw new BadInputException("two blocks are named '" + b.name() + "' (block names are their dir names)");
            }
        }
        if (maxDims < 1) {
            throw new BadInputException("--max-dims must be >= 1, got " + maxDims);
        }
        if (pcaAbove < 1 || pcaDims < 1) {
            throw new BadInputException("--pca-above and --pca-dims must be >= 1, got " + pcaAbove + " and " + pcaDims);
        }
        if (fitRows < 10) {
            throw new BadInputException("--fit-rows must be >= 10, got " + fitRows);
        }
        if (quantiles < 2) {
            throw new BadInputException("the quantile scaling needs >= 2 quantiles, got " + quantiles);
        }
        if (!(clip >= 0) || Double.isInfinite(clip)) {
            throw new BadInputException("--clip must be >= 0, got " + clip);
        }
    }

    public static CombineConfig defaults(List<BlockSpec> blocks, long seed) {
        return new CombineConfig(blocks, BlockCheck.MAX_DIMS, DEFAULT_PCA_ABOVE, DEFAULT_PCA_DIMS,
                DEFAULT_FIT_ROWS, DEFAULT_QUANTILES, DEFAULT_CLIP, seed);
    }

    public CombineConfig withMaxDims(int d) {
        return new CombineConfig(blocks, d, pcaAbove, pcaDims, fitRows, quantiles, clip, seed);
    }

    public CombineConfig withPca(int above, int dims) {
        return new CombineConfig(blocks, maxDims, above, dims, fitRows, quantiles, clip, seed);
    }

    public CombineConfig withClip(double c) {
        return new CombineConfig(blocks, maxDims, pcaAbove, pcaDims, fitRows, quantiles, c, seed);
    }

    public CombineConfig withFitRows(int n) {
        return new CombineConfig(blocks, maxDims, pcaAbove, pcaDims, n, quantiles, clip, seed);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("max_dims", maxDims);
        m.put("pca_above", pcaAbove);
        m.put("pca_dims", pcaDims);
        m.put("fit_rows", fitRows);
        m.put("quantiles", quantiles);
        m.put("clip", clip);
        return m;
    }

    /** The config {@link #toMap()} wrote; the blocks and the seed are block.json's own fields. */
    public static CombineConfig fromMap(Map<String, Object> map, List<BlockSpec> blocks, long seed) {
        ConfigMap m = ConfigMap.of(map, "combine config");
        return new CombineConfig(blocks, m.getInt("max_dims"), m.getInt("pca_above"), m.getInt("pca_dims"),
                m.getInt("fit_rows"), m.getInt("quantiles"), m.getDouble("clip"), seed);
    }
}
