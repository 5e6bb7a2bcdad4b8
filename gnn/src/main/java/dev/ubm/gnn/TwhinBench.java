package dev.ubm.gnn;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code make bench-gnn}: TwHIN training throughput on a synthetic power-law graph (clients × skus for buys and
 * carts, clients × urls for visits, sku attributes), so it runs without a data dir. Prints positive-edge updates
 * per second for each epoch (the first includes JIT warm-up). Usage:
 * {@code TwhinBench [--clients N] [--skus N] [--urls N] [--edges N] [--threads T] [--dim D] [--negatives K]
 * [--epochs E] [--chunk B] [--storage heap|mmap] [--seed S]}.
 */
public final class TwhinBench {
    private TwhinBench() {
    }

    public static void main(String[] args) {
        Map<String, String> a = new java.util.HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        int clients = Integer.parseInt(a.getOrDefault("clients", "1000000"));
        int skus = Integer.parseInt(a.getOrDefault("skus", "200000"));
        int urls = Integer.parseInt(a.getOrDefault("urls", "300000"));
        long edges = Long.parseLong(a.getOrDefault("edges", "20000000"));
        int threads = Integer.parseInt(a.getOrDefault("threads", "2"));
        int dim = Integer.parseInt(a.getOrDefault("dim", "64"));
        int negatives = Integer.parseInt(a.getOrDefault("negatives", "10"));
        int epochs = Integer.parseInt(a.getOrDefault("epochs", "2"));
        int chunk = Integer.parseInt(a.getOrDefault("chunk", String.valueOf(TwhinConfig.DEFAULT_CHUNK)));
        long seed = Long.parseLong(a.getOrDefault("seed", "42"));
        TwhinConfig.Storage storage = TwhinConfig.Storage.valueOf(a.getOrDefault("storage", "heap").toUpperCase(
                Locale.ROOT));

        long t0 = System.nanoTime();
        Graph g = synthetic(clients, skus, urls, edges, seed);
        System.out.printf(Locale.ROOT, "bench-gnn: graph %s built in %.1f s%n", g.summary(), (System.nanoTime() - t0) / 1e9);
        TwhinConfig cfg = TwhinConfig.defaults(threads, seed).withDim(dim).withNegatives(negatives).withEpochs(epochs)
                .withChunk(chunk).withStorage(storage);
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long[] last = {System.nanoTime(), os.getProcessCpuTime()};
        long perEpoch = (g.totalEdges() + cfg.chunk() - 1) / cfg.chunk() * cfg.chunk();
        double[] best = {0};
        try (TwhinModel m = new TwhinTrainer(cfg, System.out::println).train(g, null, (epoch, loss) -> {
            long now = System.nanoTime();
            long cpu = os.getProcessCpuTime();
            double secs = (now - last[0]) / 1e9;
            double cpuSecs = (cpu - last[1]) / 1e9;
            last[0] = now;
            last[1] = cpu;
            double rate = perEpoch / secs;
            best[0] = Math.max(best[0], rate);
            System.out.printf(Locale.ROOT, "bench-gnn: epoch %d: %d positive edges in %.2f s wall = %.2fM updates/s "
                    + "(dim %d, %d negatives, chunk %d, %d threads); %.2f s CPU = %.2fM updates per CPU-second; loss %.4f; "
                    + "load average %.1f%n", epoch + 1, perEpoch, secs, rate / 1e6, dim, negatives, chunk, threads, cpuSecs,
                    perEpoch / cpuSecs / 1e6, loss, os.getSystemLoadAverage());
        })) {
            System.out.printf(Locale.ROOT, "bench-gnn: best %.2fM positive-edge updates/s; total %.1f s; heap used %.0f MiB%n",
                    best[0] / 1e6, (System.nanoTime() - t0) / 1e9,
                    (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) / 1048576.0);
        }
    }

    /** Power-law degrees on both sides: a few heavy clients and popular items, a long tail of both. */
    static Graph synthetic(int clients, int skus, int urls, long edges, long seed) {
        Rng rng = new Rng(seed);
        long buyN = edges / 20;
        long cartN = edges / 5;
        long visitN = edges - buyN - cartN - 2L * skus;
        Map<Relation, EdgeList> rels = new EnumMap<>(Relation.class);
        rels.put(Relation.BUY, bipartite(rng, clients, skus, buyN));
        rels.put(Relation.ADD_TO_CART, bipartite(rng, clients, skus, cartN));
        rels.put(Relation.VISIT, bipartite(rng, clients, urls, Math.max(0, visitN)));
        int cats = Math.max(1, skus / 200);
        int[] s = new int[skus];
        int[] c = new int[skus];
        int[] p = new int[skus];
        float[] one = new float[skus];
        for (int i = 0; i < skus; i++) {
            s[i] = i;
            c[i] = rng.nextInt(cats);
            p[i] = rng.nextInt(100);
            one[i] = 1f;
        }
        rels.put(Relation.SKU_CATEGORY, new EdgeList(s, c, one));
        rels.put(Relation.SKU_PRICE, new EdgeList(s.clone(), p, one.clone()));
        long[] ids = new long[clients];
        for (int i = 0; i < clients; i++) {
            ids[i] = i;
        }
        Map<NodeType, Integer> counts = new EnumMap<>(NodeType.class);
        counts.put(NodeType.CLIENT, clients);
        counts.put(NodeType.SKU, skus);
        counts.put(NodeType.URL, urls);
        counts.put(NodeType.CATEGORY, cats);
        counts.put(NodeType.PRICE, 100);
        return new Graph(ids, counts, rels);
    }

    private static EdgeList bipartite(Rng rng, int n, int m, long count) {
        int e = (int) count;
        int[] src = new int[e];
        int[] dst = new int[e];
        float[] w = new float[e];
        for (int i = 0; i < e; i++) {
            double u = rng.nextDouble();
            double v = rng.nextDouble();
            // clients: a scrambled power law (ids spread over the table, as real ids are); items: Zipf-like
            long c = (long) (n * u * u);
            src[i] = (int) Math.floorMod(Rng.mix(c) , (long) n);
            dst[i] = (int) (m * v * v * v);
            w[i] = 1f + (float) (-Math.log(1 - rng.nextDouble()));
        }
        return new EdgeList(src, dst, w);
    }
}
