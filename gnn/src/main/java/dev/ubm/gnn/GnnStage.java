package dev.ubm.gnn;

import dev.ubm.core.AtomicFiles;
import dev.ubm.core.BadInputException;
import dev.ubm.core.BlockDir;
import dev.ubm.core.ChallengeDataDir;
import dev.ubm.core.ConfigMap;
import dev.ubm.core.StageListener;
import dev.ubm.core.Task;
import dev.ubm.data.EventStore;
import dev.ubm.data.Npy;
import dev.ubm.data.RelevantClients;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The {@code ubm gnn} stage: builds the behaviour graph from a data dir's events, embeds it with TwHIN or the SVD
 * baseline, and writes a block dir with one row per relevant client (in relevant_clients.npy order). The last
 * column is an indicator of clients without any edge; their vector is the mean client vector (TwHIN) or zero
 * (SVD). TwHIN checkpoints every epoch under {@code <embeddings-dir>/.gnn-checkpoint/}, so a killed run resumes.
 */
public final class GnnStage {
    /** Checkpoint folder inside the embeddings dir (hidden, so block readers ignore it). */
    public static final String CHECKPOINT_DIR = ".gnn-checkpoint";

    private GnnStage() {
    }

    /** Which embedding to compute. */
    public enum Method {
        TWHIN, SVD,
        /** No embedding: the target walks alone ({@link TargetWalks}), a block of count-like columns. */
        WALKS;

        /** The block.json component of the block. */
        String component() {
            return "gnn-" + name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * @param resume         resume TwHIN from a matching checkpoint (else any checkpoint is discarded)
     * @param keepCheckpoint keep the last checkpoint after success (to train more epochs later)
     */
    public record Config(Method method, GraphConfig graph, TwhinConfig twhin, SvdBaseline.Config svd, boolean resume,
            boolean keepCheckpoint, boolean targetWalks) {
        public Config {
            if (method == null || graph == null || (method == Method.TWHIN && twhin == null)
                    || (method == Method.SVD && svd == null)) {
                throw new IllegalArgumentException("method, graph and the method's config are required");
            }
        }

        /** A config without the target-walk columns (the default). */
        public Config(Method method, GraphConfig graph, TwhinConfig twhin, SvdBaseline.Config svd, boolean resume,
                boolean keepCheckpoint) {
            this(method, graph, twhin, svd, resume, keepCheckpoint, false);
        }

        /** The seed of the method's config (walks draw nothing: the seed of whichever config is given, else 0). */
        public long seed() {
            return switch (method) {
                case TWHIN -> twhin.seed();
                case SVD -> svd.seed();
                case WALKS -> twhin != null ? twhin.seed() : svd != null ? svd.seed() : 0L;
            };
        }

        /** True when the block gets target-walk columns ({@code --target-walks}, always with {@code --method walks}). */
        public boolean walks() {
            return targetWalks || method == Method.WALKS;
        }

        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("method", method.name().toLowerCase(Locale.ROOT));
            m.put("graph", graph.toMap());
            if (method != Method.WALKS) {
                m.put(method == Method.TWHIN ? "twhin" : "svd", method == Method.TWHIN ? twhin.toMap() : svd.toMap());
            }
            m.put("target_walks", targetWalks);
            return m;
        }

        /**
         * The config {@link #toMap()} wrote (the seed is block.json's own field); the run options are given, the
         * other method's config is null.
         */
        public static Config fromMap(Map<String, Object> map, long seed, boolean resume, boolean keepCheckpoint) {
            ConfigMap m = ConfigMap.of(map, "gnn config");
            Method method = m.getEnum("method", Method.class);
            GraphConfig graph = GraphConfig.fromMap(m.getMap("graph"));
            boolean walks = map.get("target_walks") instanceof Boolean b && b;
            return switch (method) {
                case TWHIN -> new Config(method, graph, TwhinConfig.fromMap(m.getMap("twhin"), seed), null, resume,
                        keepCheckpoint, walks);
                case SVD -> new Config(method, graph, null, SvdBaseline.Config.fromMap(m.getMap("svd"), seed), resume,
                        keepCheckpoint, walks);
                case WALKS -> new Config(method, graph, null, null, resume, keepCheckpoint, walks);
            };
        }
    }

    /** What was written. */
    public record Result(BlockDir block, int rows, int dims, int clientsWithoutEdges, List<Double> epochLosses,
            double wallSeconds) {
    }

    /** The stage: builds the graph, embeds it and writes the block (progress lines go to {@code listener}). */
    public static Result run(ChallengeDataDir data, Config cfg, Path embeddingsDir, StageListener listener) {
        long t0 = System.nanoTime();
        Path skuList = data.targetListFile(Task.PROPENSITY_SKU);
        if (cfg.method() == Method.WALKS && !Files.isRegularFile(skuList)) {
            throw new BadInputException("--method walks needs the target list " + skuList + " (missing)");
        }
        Consumer<String> out = listener::progress;
        BlockDir target = new BlockDir(embeddingsDir);
        Path ckptDir = target.dir().resolve(CHECKPOINT_DIR);
        target.createDirs(); // holds the checkpoint; the block itself is built beside it and swapped in at the end
        if (!cfg.resume() || cfg.method() != Method.TWHIN) {
            AtomicFiles.deleteTree(ckptDir);
        }

        long[] relevant;
        String fingerprint;
        Graph graph;
        try (EventStore store = EventStore.open(data)) {
            relevant = RelevantClients.read(data);
            fingerprint = data.inputFingerprint();
            out.accept("gnn: events from " + data.eventsDir() + ", cutoff " + store.cutoff() + ", " + relevant.length
                    + " relevant clients");
            graph = GraphBuilder.build(store, cfg.graph(), out);
        }
        int[] nodes = new int[relevant.length];
        boolean[] noEdges = new boolean[relevant.length];
        int[] degree = graph.clientDegrees();
        int without = 0;
        for (int i = 0; i < relevant.length; i++) {
            nodes[i] = graph.clientNode(relevant[i]);
            noEdges[i] = nodes[i] < 0 || degree[nodes[i]] == 0;
            without += noEdges[i] ? 1 : 0;
        }
        out.accept("gnn: " + without + " of " + relevant.length + " relevant clients have no edge (indicator column)");

        Map<String, Object> stats = new LinkedHashMap<>();
        Map<String, Object> nodeCounts = new LinkedHashMap<>();
        for (NodeType t : NodeType.values()) {
            nodeCounts.put(t.name().toLowerCase(Locale.ROOT), graph.nodes(t));
        }
        Map<String, Object> edgeCounts = new LinkedHashMap<>();
        for (Relation r : Relation.values()) {
            if (graph.has(r)) {
                edgeCounts.put(r.cliName(), graph.edges(r).size());
            }
        }
        stats.put("nodes", nodeCounts);
        stats.put("edges", edgeCounts);
        stats.put("clients_without_edges", without);

        float[] emb;
        int dims;
        List<Double> losses = List.of();
        if (cfg.method() == Method.WALKS) {
            emb = new float[0];
            dims = 0;
        } else if (cfg.method() == Method.TWHIN) {
            try (TwhinModel model = new TwhinTrainer(cfg.twhin(), out).train(graph, ckptDir, null)) {
                losses = model.epochLosses();
                dims = model.dim();
                emb = new float[relevant.length * dims];
                double[] mean = new double[dims];
                float[] row = new float[dims];
                int with = 0;
                for (int i = 0; i < relevant.length; i++) {
                    if (!noEdges[i]) {
                        model.table().read(graph.offset(NodeType.CLIENT) + nodes[i], emb, i * dims);
                        for (int k = 0; k < dims; k++) {
                            mean[k] += emb[i * dims + k];
                        }
                        with++;
                    }
                }
                for (int k = 0; k < dims; k++) {
                    row[k] = with == 0 ? 0f : (float) (mean[k] / with);
                }
                for (int i = 0; i < relevant.length; i++) {
                    if (noEdges[i]) {
                        System.arraycopy(row, 0, emb, i * dims, dims);
                    }
                }
            }
            stats.put("epoch_losses", new ArrayList<>(losses));
        } else {
            SvdBaseline.Result r = SvdBaseline.embed(graph, nodes, cfg.svd(), out);
            emb = r.embeddings();
            dims = r.dims();
            for (int i = 0; i < relevant.length; i++) {
                if (noEdges[i]) {
                    Arrays.fill(emb, i * dims, (i + 1) * dims, 0f);
                }
            }
            stats.put("matrices", r.matrices());
            Map<String, Object> sig = new TreeMap<>();
            r.sigmas().forEach((k, v) -> sig.put(k, v));
            stats.put("singular_values", sig);
        }

        List<Task> walkTasks = new ArrayList<>();
        List<int[]> walkTargets = new ArrayList<>();
        float[] walks = new float[0];
        int walkCols = 0;
        if (cfg.walks()) {
            for (Task t : List.of(Task.PROPENSITY_SKU, Task.PROPENSITY_NEW_SKU)) {
                Path list = data.targetListFile(t);
                if (!Files.isRegularFile(list)) {
                    out.accept("gnn: no " + list + ": no target-walk columns for " + t.cliName());
                    continue;
                }
                long[] skus = Npy.readLongs(list);
                int[] nodesOf = new int[skus.length];
                int found = 0;
                for (int j = 0; j < skus.length; j++) {
                    nodesOf[j] = graph.skuNode(skus[j]);
                    found += nodesOf[j] >= 0 ? 1 : 0;
                }
                out.accept(String.format(Locale.ROOT, "gnn: target walks to the %d skus of %s (%d of them in the graph)",
                        skus.length, list.getFileName(), found));
                walkTasks.add(t);
                walkTargets.add(nodesOf);
                walkCols += skus.length;
            }
            int[] all = new int[walkCols];
            int at = 0;
            for (int[] t : walkTargets) {
                System.arraycopy(t, 0, all, at, t.length);
                at += t.length;
            }
            int perVia = walkCols;
            walkCols = perVia * TargetWalks.Via.values().length;
            walks = new float[relevant.length * walkCols];
            for (TargetWalks.Via via : TargetWalks.Via.values()) {
                float[] v = TargetWalks.scores(graph, nodes, all, via);
                for (int i = 0; i < relevant.length; i++) {
                    System.arraycopy(v, i * perVia, walks, i * walkCols + via.ordinal() * perVia, perVia);
                }
            }
            Map<String, Object> w = new LinkedHashMap<>();
            for (int k = 0; k < walkTasks.size(); k++) {
                w.put(walkTasks.get(k).cliName(), walkTargets.get(k).length);
            }
            stats.put("target_walk_columns", w);
            stats.put("target_walks_via", Arrays.stream(TargetWalks.Via.values()).map(TargetWalks.Via::label)
                    .toList());
        }
        int width = dims + 1 + walkCols;
        double wall;
        try (BlockDir.Build build = target.build()) {
            BlockDir block = build.block();
            Npy.writeLongs(block.clientIdsFile(), relevant);
            try (Npy.RowWriter w = Npy.RowWriter.open(block.embeddingsFile(), Npy.Dtype.FLOAT32, width)) {
                float[] row = new float[width];
                for (int i = 0; i < relevant.length; i++) {
                    System.arraycopy(emb, i * dims, row, 0, dims);
                    row[dims] = noEdges[i] ? 1f : 0f;
                    System.arraycopy(walks, i * walkCols, row, dims + 1, walkCols);
                    w.appendRow(row);
                }
            }
            wall = (System.nanoTime() - t0) / 1e9;
            Map<String, Object> config = cfg.toMap();
            config.put("stats", stats);
            StringBuilder cols = new StringBuilder(dims > 0 ? "embedding[0.." + (dims - 1) + "], " : "")
                    .append("no_edges indicator");
            for (TargetWalks.Via via : TargetWalks.Via.values()) {
                for (int k = 0; k < walkTasks.size(); k++) {
                    cols.append(", target walks via ").append(via.label()).append(" to ")
                            .append(walkTasks.get(k).listStem()).append(".npy[0..")
                            .append(walkTargets.get(k).length - 1).append(']');
                }
            }
            config.put("columns", cols.toString());
            build.publish(BlockDir.Meta.of(cfg.method().component(), width,
                    relevant.length, "float32", config, cfg.seed(), fingerprint, wall).withEvents(data));
        }
        if (!cfg.keepCheckpoint()) {
            AtomicFiles.deleteTree(ckptDir);
        }
        out.accept(String.format(Locale.ROOT, "gnn: wrote %s (%d x %d) in %.1f s", target.dir(), relevant.length,
                width, wall));
        return new Result(target, relevant.length, width, without, losses, wall);
    }
}
