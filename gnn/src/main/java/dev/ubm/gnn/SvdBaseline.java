package dev.ubm.gnn;

import dev.ubm.core.ConfigMap;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The factorisation baseline TwHIN must beat: client×sku (buy + add_to_cart), client×category (the same events
 * through sku→category) and client×url (visits) matrices over the requested clients, each weighted
 * log(1 + time-decayed count) with rows L2-normalised, factorised by {@link RandomizedSvd}; a client's vector is
 * U_k Σ_k^½ of each matrix, concatenated. Deterministic for a seed.
 */
public final class SvdBaseline {
    private SvdBaseline() {
    }

    /**
     * @param rank       components per matrix (each matrix block is padded to this width)
     * @param oversample extra random columns of the range finder
     * @param powerIters power iterations (sharpen the spectrum)
     */
    public record Config(int rank, int oversample, int powerIters, long seed, int threads) {
        public Config {
            if (rank < 1 || oversample < 0 || powerIters < 0 || threads < 1) {
                throw new IllegalArgumentException("rank >= 1, oversample >= 0, powerIters >= 0, threads >= 1");
            }
        }

        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("rank", rank);
            m.put("oversample", oversample);
            m.put("power_iters", powerIters);
            m.put("threads", threads);
            return m;
        }

        /** The config {@link #toMap()} wrote; the seed is block.json's own field. */
        public static Config fromMap(Map<String, Object> map, long seed) {
            ConfigMap m = ConfigMap.of(map, "svd config");
            return new Config(m.getInt("rank"), m.getInt("oversample"), m.getInt("power_iters"), seed,
                    m.getInt("threads"));
        }
    }

    /** Client vectors (rows in the order of the requested client nodes) and what each block holds. */
    public record Result(float[] embeddings, int rows, int dims, List<String> matrices, Map<String, double[]> sigmas) {
    }

    /** @param clientNodes client node of each output row (-1: a client outside the graph, a zero row) */
    public static Result embed(Graph g, int[] clientNodes, Config cfg, Consumer<String> log) {
        Consumer<String> out = log == null ? s -> { } : log;
        int rows = clientNodes.length;
        int[] rowOf = new int[g.nodes(NodeType.CLIENT)];
        Arrays.fill(rowOf, -1);
        for (int i = 0; i < rows; i++) {
            if (clientNodes[i] >= 0) {
                rowOf[clientNodes[i]] = i;
            }
        }
        int[] catOf = new int[g.nodes(NodeType.SKU)];
        Arrays.fill(catOf, -1);
        EdgeList sc = g.edges(Relation.SKU_CATEGORY);
        for (int i = 0; i < sc.size(); i++) {
            catOf[sc.src()[i]] = sc.dst()[i];
        }
        List<String> names = new ArrayList<>();
        List<Csr> mats = new ArrayList<>();
        Csr sku = matrix(rows, g.nodes(NodeType.SKU), rowOf, null, g.edges(Relation.BUY), g.edges(Relation.ADD_TO_CART));
        add(names, mats, "client_sku", sku);
        if (sc.size() > 0) {
            add(names, mats, "client_category", matrix(rows, g.nodes(NodeType.CATEGORY), rowOf, catOf,
                    g.edges(Relation.BUY), g.edges(Relation.ADD_TO_CART)));
        }
        add(names, mats, "client_url", matrix(rows, g.nodes(NodeType.URL), rowOf, null, g.edges(Relation.VISIT)));
        int k = cfg.rank();
        int dims = k * mats.size();
        float[] emb = new float[rows * dims];
        Map<String, double[]> sigmas = new LinkedHashMap<>();
        for (int b = 0; b < mats.size(); b++) {
            long t0 = System.nanoTime();
            Csr a = mats.get(b).log1p().normalizeRows();
            RandomizedSvd.Result r = RandomizedSvd.compute(a, k, cfg.oversample(), cfg.powerIters(),
                    cfg.seed() + b, cfg.threads());
            sigmas.put(names.get(b), r.sigma());
            for (int j = 0; j < r.k(); j++) {
                float s = (float) Math.sqrt(r.sigma()[j]);
                for (int i = 0; i < rows; i++) {
                    emb[i * dims + b * k + j] = r.u()[i * r.k() + j] * s;
                }
            }
            out.accept(String.format(Locale.ROOT, "svd: %s %dx%d, %d non-zeros, rank %d, top singular values %s (%.1f s)",
                    names.get(b), a.rows(), a.cols(), a.nnz(), r.k(), top(r.sigma()), (System.nanoTime() - t0) / 1e9));
        }
        return new Result(emb, rows, dims, names, sigmas);
    }

    private static String top(double[] s) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < Math.min(3, s.length); i++) {
            sb.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.3g", s[i]));
        }
        return sb.append(s.length > 3 ? ", ...]" : "]").toString();
    }

    private static void add(List<String> names, List<Csr> mats, String name, Csr m) {
        if (m.nnz() > 0) {
            names.add(name);
            mats.add(m);
        }
    }

    /** Sums edge weights into rows×cols; columns optionally mapped (sku → category), unmapped columns dropped. */
    private static Csr matrix(int rows, int cols, int[] rowOf, int[] colMap, EdgeList... lists) {
        int n = 0;
        for (EdgeList l : lists) {
            n += l.size();
        }
        int[] r = new int[n];
        int[] c = new int[n];
        float[] v = new float[n];
        int k = 0;
        for (EdgeList l : lists) {
            for (int i = 0; i < l.size(); i++) {
                int row = rowOf[l.src()[i]];
                int col = colMap == null ? l.dst()[i] : colMap[l.dst()[i]];
                if (row >= 0 && col >= 0) {
                    r[k] = row;
                    c[k] = col;
                    v[k++] = l.weight()[i];
                }
            }
        }
        return Csr.fromTriples(rows, Math.max(cols, 0), r, c, v, k);
    }
}
