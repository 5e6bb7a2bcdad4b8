package dev.ubm.submission;

import dev.ubm.core.AtomicFiles;
import dev.ubm.core.BadInputException;
import dev.ubm.core.BlockDir;
import dev.ubm.core.Progress;
import dev.ubm.data.Float16;
import dev.ubm.data.MappedMatrix;
import dev.ubm.data.Npy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Combines embedding blocks into one submission: each block is scaled ({@link Scaling}), reduced by PCA when wider
 * than a threshold, weighted, and concatenated; clients a block lacks get that block's mean (transformed) row; rows
 * are shuffled with the seed (the organisers' probe trains without shuffling), and the result is written as float16
 * with every value checked against the float16 range. Blocks are memory-mapped and transformed one at a time into
 * temp files beside the output, so memory stays at a sample plus a row per block.
 *
 * <p>Order of operations per block: standard / quantile scaling, then PCA; for none / L2, PCA first, then the row
 * L2 normalisation (so L2 rows keep norm sqrt(dims)); then the weight.
 */
public final class Combiner {
    /** The block.json component of a submission (what {@code ubm combine} writes). */
    public static final String COMPONENT = "submission";

    private Combiner() {
    }

    /** What happened to one block, for block.json and the console. */
    public record BlockReport(String name, Path dir, String component, int dimsIn, int dimsOut, Scaling scaling,
            double weight, boolean pca, double explainedVariance, long missingClients, long extraClients,
            String fingerprint) {
        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", name);
            m.put("dir", dir.toString());
            m.put("component", component);
            m.put("dims_in", dimsIn);
            m.put("dims_out", dimsOut);
            m.put("scaling", scaling.cliName());
            m.put("weight", weight);
            m.put("pca", pca);
            if (pca) {
                m.put("pca_explained_variance", explainedVariance);
            }
            m.put("missing_clients_imputed", missingClients);
            m.put("extra_clients_ignored", extraClients);
            m.put("input_fingerprint", fingerprint);
            return m;
        }
    }

    /**
     * Combines the blocks of {@code cfg} for the given clients ({@code clients} = relevant_clients; null = the
     * client ids of the first block) into {@code outDir}; returns the blocks' reports.
     */
    public static List<BlockReport> combine(CombineConfig cfg, long[] clients, Path outDir) {
        long t0 = System.nanoTime();
        List<Input> inputs = new ArrayList<>();
        for (BlockSpec spec : cfg.blocks()) {
            inputs.add(Input.open(spec));
        }
        long[] ids = clients != null ? clients.clone() : inputs.get(0).ids.clone();
        checkDistinct(ids, clients != null ? "relevant_clients" : "block " + inputs.get(0).spec.name() + " client ids");
        // plan the widths first, so an impossible total fails before any work
        int total = 0;
        StringBuilder plan = new StringBuilder();
        for (Input in : inputs) {
            int k = in.pcaDims(cfg);
            in.outDims = k > 0 && k < in.cols ? k : in.cols;
            total += in.outDims;
            plan.append(String.format("%n  - %s: %d -> %d dims", in.spec.name(), in.cols, in.outDims));
        }
        if (total > cfg.maxDims()) {
            throw new BadInputException("the blocks need " + total + " dims, more than --max-dims " + cfg.maxDims() + ":"
                    + plan + "\n  reduce wide blocks with --pca-above/--pca-dims or --pca NAME=K, or drop a block");
        }
        int n = ids.length;
        SplittableRandom rnd = new SplittableRandom(cfg.seed());
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            long t = ids[i];
            ids[i] = ids[j];
            ids[j] = t;
        }

        try (BlockDir.Build build = new BlockDir(outDir).build()) {
            BlockDir out = build.block();
            List<BlockReport> reports = new ArrayList<>();
            List<Path> temps = new ArrayList<>();
            try {
                for (int b = 0; b < inputs.size(); b++) {
                    Input in = inputs.get(b);
                    Path tmp = AtomicFiles.tempBeside(out.dir().resolve("block-" + b + ".npy"));
                    temps.add(tmp);
                    reports.add(transform(in, ids, cfg, cfg.seed() + 1000003L * (b + 1), tmp));
                }
                writeOutput(inputs, temps, ids, out, total);
            } finally {
                for (Path t : temps) {
                    AtomicFiles.deleteQuietly(t);
                }
            }
            Map<String, Object> config = new LinkedHashMap<>(cfg.toMap());
            List<Object> blocks = new ArrayList<>();
            for (BlockReport r : reports) {
                blocks.add(r.toMap());
            }
            config.put("blocks", blocks);
            config.put("clients_from", clients != null ? "relevant_clients" : "the first block's client ids");
            config.put("rows_shuffled_with_seed", true);
            List<String> fps = new ArrayList<>();
            for (BlockReport r : reports) {
                fps.add(r.fingerprint());
            }
            double wall = (System.nanoTime() - t0) / 1e9;
            build.publish(BlockDir.Meta.of(COMPONENT, total, n, "float16", config, cfg.seed(),
                    String.join("+", fps), wall));
            return reports;
        }
    }

    /** An opened input block: ids, rows mapped, metadata. */
    private static final class Input {
        final BlockSpec spec;
        final long[] ids;
        final MappedMatrix rows;
        final int cols;
        final String component;
        final String fingerprint;
        int outDims;
        long[] sortedIds;
        int[] sortedRows;

        private Input(BlockSpec spec, long[] ids, MappedMatrix rows, String component, String fingerprint) {
            this.spec = spec;
            this.ids = ids;
            this.rows = rows;
            this.cols = rows.cols();
            this.component = component;
            this.fingerprint = fingerprint;
        }

        static Input open(BlockSpec spec) {
            BlockDir dir = new BlockDir(spec.dir());
            dir.requireFinished().requireComplete();
            long[] ids = Npy.readLongs(dir.clientIdsFile());
            MappedMatrix rows = MappedMatrix.open(dir.embeddingsFile());
            if (rows.rows() != ids.length) {
                throw new BadInputException("block " + spec.name() + ": " + rows.rows() + " embedding rows but "
                        + ids.length + " client ids in " + dir.dir());
            }
            if (rows.cols() < 1) {
                throw new BadInputException("block " + spec.name() + " has no columns");
            }
            BlockDir.Meta m = dir.readMeta();
            Input in = new Input(spec, ids, rows, m.component(), m.inputFingerprint());
            in.index();
            return in;
        }

        private void index() {
            Integer[] order = new Integer[ids.length];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> Long.compare(ids[a], ids[b]));
            sortedIds = new long[ids.length];
            sortedRows = new int[ids.length];
            for (int i = 0; i < order.length; i++) {
                sortedIds[i] = ids[order[i]];
                sortedRows[i] = order[i];
                if (i > 0 && sortedIds[i] == sortedIds[i - 1]) {
                    throw new BadInputException("block " + spec.name() + ": client id " + sortedIds[i]
                            + " has two rows in " + spec.dir());
                }
            }
        }

        /** The block's row of a client, or -1. */
        int rowOf(long id) {
            int p = Arrays.binarySearch(sortedIds, id);
            return p < 0 ? -1 : sortedRows[p];
        }

        /**
         * The PCA size of this block (0 = none): its own, else {@code pcaDims} above {@code pcaAbove} columns. A
         * submission (the output of {@code ubm combine}) is never reduced unless asked: probed beside other blocks it
         * must stay the vector {@code ubm probe} scores.
         */
        int pcaDims(CombineConfig cfg) {
            if (spec.pcaDims() != null) {
                return spec.pcaDims();
            }
            return !COMPONENT.equals(component) && cols > cfg.pcaAbove() ? cfg.pcaDims() : 0;
        }

        Scaling scaling() {
            return spec.scaling() != null ? spec.scaling() : Scaling.defaultFor(component);
        }
    }

    private static void checkDistinct(long[] ids, String what) {
        long[] s = ids.clone();
        Arrays.sort(s);
        for (int i = 1; i < s.length; i++) {
            if (s[i] == s[i - 1]) {
                throw new BadInputException(what + " repeat client id " + s[i]);
            }
        }
    }

    /** Fits the block's transform on a sample, then writes its rows in output order (zeros where missing). */
    private static BlockReport transform(Input in, long[] ids, CombineConfig cfg, long seed, Path tmp) {
        int n = ids.length;
        int[] map = new int[n];
        int present = 0;
        for (int i = 0; i < n; i++) {
            map[i] = in.rowOf(ids[i]);
            if (map[i] >= 0) {
                present++;
            }
        }
        if (present == 0) {
            throw new BadInputException("block " + in.spec.name() + " has none of the clients to embed");
        }
        long extra = in.ids.length - present;
        Scaling scaling = in.scaling();
        boolean pcaFirst = scaling == Scaling.NONE || scaling == Scaling.L2;
        boolean doPca = in.outDims < in.cols;
        int d = in.cols;

        // seeded sample of present rows for fitting
        int m = Math.min(present, cfg.fitRows());
        int[] sample = sample(map, present, m, new SplittableRandom(seed));
        float[] x = new float[m * d];
        float[] row = new float[d];
        for (int s = 0; s < m; s++) {
            in.rows.row(sample[s], row);
            checkFinite(in, row, sample[s]);
            System.arraycopy(row, 0, x, s * d, d);
        }
        ColumnScaler scaler;
        Pca pca = null;
        if (pcaFirst) {
            if (doPca) {
                pca = fitPca(x, m, d, in.outDims);
            }
            scaler = ColumnScaler.fit(scaling, x, 0, in.outDims, cfg.quantiles(), cfg.clip());
        } else {
            scaler = ColumnScaler.fit(scaling, x, m, d, cfg.quantiles(), cfg.clip());
            if (doPca) {
                float[] r = new float[d];
                for (int s = 0; s < m; s++) {
                    System.arraycopy(x, s * d, r, 0, d);
                    scaler.transform(r);
                    System.arraycopy(r, 0, x, s * d, d);
                }
                pca = fitPca(x, m, d, in.outDims);
            }
        }
        x = null;
        float[] projected = new float[in.outDims];
        float[] zero = new float[in.outDims];
        double w = in.spec.weight();
        try (Progress bar = new Progress("combine " + in.spec.name(), n, "rows");
                Npy.RowWriter writer = Npy.RowWriter.open(tmp, Npy.Dtype.FLOAT32, in.outDims)) {
            for (int i = 0; i < n; i++) {
                if (map[i] < 0) {
                    writer.appendRow(zero);
                } else {
                    in.rows.row(map[i], row);
                    checkFinite(in, row, map[i]);
                    float[] v;
                    if (pcaFirst) {
                        if (pca != null) {
                            pca.project(row, projected);
                            v = projected;
                        } else {
                            v = row;
                        }
                        scaler.transform(v);
                    } else {
                        scaler.transform(row);
                        if (pca != null) {
                            pca.project(row, projected);
                            v = projected;
                        } else {
                            v = row;
                        }
                    }
                    if (w != 1.0) {
                        for (int j = 0; j < v.length; j++) {
                            v[j] = (float) (v[j] * w);
                        }
                    }
                    writer.appendRow(v);
                }
                if ((i & 4095) == 4095) {
                    bar.add(4096);
                }
            }
            bar.add(n & 4095);
        }
        return new BlockReport(in.spec.name(), in.spec.dir().toAbsolutePath().normalize(),
                in.component == null ? "unknown" : in.component, d, in.outDims, scaling, w, pca != null,
                pca == null ? 1.0 : pca.explainedVarianceRatio(), n - present, extra, in.fingerprint);
    }

    private static Pca fitPca(float[] x, int m, int d, int k) {
        if (m < 2) {
            throw new BadInputException("PCA needs at least 2 rows, the block has " + m);
        }
        return Pca.fit(x, m, d, Math.min(k, d));
    }

    /** m distinct block rows chosen uniformly (seeded) among the clients' present rows, in output order. */
    private static int[] sample(int[] map, int present, int m, SplittableRandom rnd) {
        int[] rows = new int[present];
        int p = 0;
        for (int r : map) {
            if (r >= 0) {
                rows[p++] = r;
            }
        }
        if (m < present) {
            for (int i = 0; i < m; i++) {
                int j = i + rnd.nextInt(present - i);
                int t = rows[i];
                rows[i] = rows[j];
                rows[j] = t;
            }
        }
        return Arrays.copyOf(rows, m);
    }

    private static void checkFinite(Input in, float[] row, int r) {
        for (int j = 0; j < row.length; j++) {
            if (!Float.isFinite(row[j])) {
                throw new BadInputException("block " + in.spec.name() + ": value " + row[j] + " at row " + r
                        + " (client " + in.ids[r] + "), column " + j + " of " + in.rows.file());
            }
        }
    }

    /** Concatenates the transformed blocks row by row, imputing block means, checking the float16 range. */
    private static void writeOutput(List<Input> inputs, List<Path> temps, long[] ids, BlockDir out, int total) {
        int n = ids.length;
        List<MappedMatrix> parts = new ArrayList<>();
        List<double[]> means = new ArrayList<>();
        List<boolean[]> missing = new ArrayList<>();
        for (int b = 0; b < inputs.size(); b++) {
            MappedMatrix r = MappedMatrix.open(temps.get(b));
            parts.add(r);
            Input in = inputs.get(b);
            boolean[] miss = new boolean[n];
            double[] mean = new double[r.cols()];
            float[] row = new float[r.cols()];
            long present = 0;
            for (int i = 0; i < n; i++) {
                miss[i] = in.rowOf(ids[i]) < 0;
                if (!miss[i]) {
                    r.row(i, row);
                    for (int j = 0; j < row.length; j++) {
                        mean[j] += row[j];
                    }
                    present++;
                }
            }
            for (int j = 0; j < mean.length; j++) {
                mean[j] /= Math.max(1, present);
            }
            means.add(mean);
            missing.add(miss);
        }
        float[] outRow = new float[total];
        List<float[]> bufs = new ArrayList<>();
        for (MappedMatrix r : parts) {
            bufs.add(new float[r.cols()]);
        }
        try (Npy.RowWriter w = Npy.RowWriter.open(out.embeddingsFile(), Npy.Dtype.FLOAT16, total)) {
            for (int i = 0; i < n; i++) {
                int off = 0;
                for (int b = 0; b < parts.size(); b++) {
                    MappedMatrix r = parts.get(b);
                    int k = r.cols();
                    if (missing.get(b)[i]) {
                        double[] mean = means.get(b);
                        for (int j = 0; j < k; j++) {
                            outRow[off + j] = (float) mean[j];
                        }
                    } else {
                        float[] tmp = bufs.get(b);
                        r.row(i, tmp);
                        System.arraycopy(tmp, 0, outRow, off, k);
                    }
                    for (int j = 0; j < k; j++) {
                        float v = outRow[off + j];
                        if (!Float.isFinite(v) || Math.abs(v) > Float16.MAX) {
                            w.abort();
                            throw new BadInputException("block " + inputs.get(b).spec.name() + ": value " + v
                                    + " (client " + ids[i] + ", block column " + j + ") is beyond the float16 range "
                                    + "±65504 after scaling " + inputs.get(b).scaling().cliName() + " x weight "
                                    + inputs.get(b).spec.weight() + "; scale the block (--scaling "
                                    + inputs.get(b).spec.name() + "=standard|quantile|l2) or lower its weight");
                        }
                    }
                    off += k;
                }
                w.appendRow(outRow);
            }
        }
        Npy.writeLongs(out.clientIdsFile(), ids);
    }
}
