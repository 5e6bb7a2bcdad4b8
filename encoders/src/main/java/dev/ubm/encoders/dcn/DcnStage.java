package dev.ubm.encoders.dcn;

import dev.ubm.core.AtomicFiles;
import dev.ubm.core.BadInputException;
import dev.ubm.core.BlockDir;
import dev.ubm.core.ChallengeDataDir;
import dev.ubm.core.Fingerprint;
import dev.ubm.core.StageListener;
import dev.ubm.core.Task;
import dev.ubm.data.AsOf;
import dev.ubm.data.Npy;
import dev.ubm.data.RelevantClients;
import dev.ubm.data.SplitWindows;
import dev.ubm.data.TrainClients;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The DCN stage: materialises the data dir as of {@code cutoff − k·labelDays} for each training window (its client
 * list chosen by {@link TrainClients}; labels = the label window after it), rebuilds the feature block there with the
 * settings of the given one (through a {@link FeatureBuilder}: this module does not depend on the features stage),
 * trains DCN-v2 over [PLE features, frozen side blocks] and writes the chosen hidden layer for every relevant client,
 * computed from the blocks at the real cutoff. Each side block (sequence, graph, another feature set …) may come with
 * one as-of twin per window, computed on that window's as-of dir, so that training never reads vectors that saw
 * its labels. Writes {@code client_ids.npy}, {@code embeddings.npy} (float32), {@code loss.csv} and
 * {@code block.json}; work files (as-of dirs and their feature blocks, and the training checkpoint saved after every
 * epoch, from which a killed run resumes) go to {@code <out>/.dcn-work}.
 */
public final class DcnStage {
    /** Component name in block.json. */
    public static final String COMPONENT = "dcn";
    public static final String LOSS_CSV = "loss.csv";
    /** Work dir inside the output dir (as-of data dirs and their feature blocks). */
    public static final String WORK = ".dcn-work";

    private DcnStage() {
    }

    /**
     * One training window: as-of labels (rows = the as-of dir's client list) with the feature block computed on that
     * as-of dir and the side blocks to train with for it (each side block's twin for this window, or the block
     * itself), in side order.
     */
    public record TrainWindow(AsOf.Labels labels, BlockDir features, List<BlockDir> sides) {
        public TrainWindow {
            if (labels == null || features == null) {
                throw new IllegalArgumentException("a training window needs labels and a feature block");
            }
            sides = sides == null ? List.of() : List.copyOf(sides);
        }
    }

    /**
     * Inputs of one run: one or more training windows (the most recent first), the feature block and the side blocks
     * at the real cutoff, and the clients to embed.
     */
    public record Inputs(List<TrainWindow> windows, BlockDir features, List<BlockDir> sides, long[] inferIds) {
        public Inputs {
            if (windows == null || windows.isEmpty() || features == null || inferIds == null) {
                throw new IllegalArgumentException("at least one training window, the feature block and the clients "
                        + "to embed are required");
            }
            sides = sides == null ? List.of() : List.copyOf(sides);
            for (TrainWindow w : windows) {
                if (w.sides().size() != sides.size()) {
                    throw new IllegalArgumentException("every training window needs one block per side block");
                }
            }
            windows = List.copyOf(windows);
        }

        /** Inputs with a single training window and at most one side block; embeds the window's clients. */
        public static Inputs of(AsOf.Labels labels, BlockDir trainFeatures, BlockDir features, BlockDir trainSide,
                BlockDir side) {
            if (trainSide != null && side == null) {
                throw new IllegalArgumentException("a training side block needs the side block to embed with");
            }
            List<BlockDir> sides = side == null ? List.of() : List.of(side);
            List<BlockDir> train = side == null ? List.of() : List.of(trainSide != null ? trainSide : side);
            return new Inputs(List.of(new TrainWindow(labels, trainFeatures, train)), features, sides,
                    labels.clientIds());
        }
    }

    /** Builds a feature block on {@code data} with the same settings as the block {@code like}. */
    @FunctionalInterface
    public interface FeatureBuilder {
        BlockDir.Meta build(BlockDir like, ChallengeDataDir data, Path outDir, StageListener listener);
    }

    /**
     * A frozen side block: the block at the real cutoff (embedding) and optionally its as-of twins, one per training
     * window (most recent first), each computed on that window's as-of dir. Without twins the block itself is used
     * for training too (it has seen the label windows).
     */
    public record Side(Path block, List<Path> train) {
        public Side {
            if (block == null) {
                throw new IllegalArgumentException("a side block needs its dir");
            }
            train = train == null ? List.of() : List.copyOf(train);
        }
    }

    /**
     * What the stage needs besides the data dir.
     *
     * @param net           the network and its training
     * @param features      the feature block at the real cutoff (its settings are reused for the training windows)
     * @param sides         frozen side blocks, in input order (empty: features only)
     * @param trainFeatures feature blocks as of each window to reuse instead of rebuilding them, or empty
     * @param windows       training windows of {@code labelDays} each, going back from the cutoff (1..12)
     * @param keepWork      keep {@code .dcn-work} after a successful run
     * @param trainClients  which clients each window trains on
     * @param explicitTasks the tasks were named by the user: a missing target list is bad input instead of a
     *                      dropped head
     */
    public record Config(DcnConfig net, long seed, Path features, List<Side> sides, List<Path> trainFeatures,
            int windows, boolean keepWork, TrainClients trainClients, boolean explicitTasks) {
        public Config {
            if (net == null || features == null || trainClients == null) {
                throw new IllegalArgumentException("the network config, the feature block and the train clients are "
                        + "required");
            }
            sides = sides == null ? List.of() : List.copyOf(sides);
            trainFeatures = trainFeatures == null ? List.of() : List.copyOf(trainFeatures);
            if (windows < 1 || windows > 12) {
                throw new BadInputException("--windows must be in 1..12, got " + windows);
            }
            for (Side side : sides) {
                if (!side.train().isEmpty() && side.train().size() != windows) {
                    throw new BadInputException("the as-of twins of " + side.block() + " (--side-train or "
                            + "--seq-train) need one block per window (" + windows + "), got " + side.train().size());
                }
            }
            if (!trainFeatures.isEmpty() && trainFeatures.size() != windows) {
                throw new BadInputException("--train-features needs one block per window (" + windows + "), got "
                        + trainFeatures.size());
            }
        }
    }

    /**
     * The tasks of {@code cfg} whose target list the data dir has; a missing list drops its task with a note, or is
     * bad input when the user named the tasks.
     */
    static DcnConfig availableTasks(ChallengeDataDir data, DcnConfig cfg, boolean explicit, List<String> notes,
            StageListener listener) {
        List<Task> keep = new ArrayList<>();
        for (Task t : cfg.tasks()) {
            if (t.isBinary() || Files.isRegularFile(data.targetListFile(t))) {
                keep.add(t);
                continue;
            }
            if (explicit) {
                throw new BadInputException("task " + t.cliName() + " (--tasks) needs " + data.targetListFile(t)
                        + ", which does not exist");
            }
            String note = "no head for " + t.cliName() + ": the data dir has no " + data.targetListFile(t);
            notes.add(note);
            listener.progress("dcn: note: " + note);
        }
        if (keep.isEmpty()) {
            throw new BadInputException("no task left to train: every named task lacks its target list");
        }
        return keep.size() == cfg.tasks().size() ? cfg : cfg.withTasks(keep);
    }

    /**
     * The stage: prepares the training windows in {@code <outDir>/.dcn-work}, trains and writes the block.
     *
     * @param features builds the as-of feature blocks (unless {@link Config#trainFeatures} gives them)
     */
    public static Result run(ChallengeDataDir data, Config cfg, Path outDir, StageListener listener,
            FeatureBuilder features) {
        long t0 = System.nanoTime();
        data.require(ChallengeDataDir.Need.EVENTS);
        BlockDir feat = new BlockDir(cfg.features()).requireFinished().requireComplete();
        List<BlockDir> sideBlocks = new ArrayList<>();
        List<List<BlockDir>> sideTwins = new ArrayList<>();
        List<BlockDir> inputs = new ArrayList<>(List.of(feat));
        for (Side side : cfg.sides()) {
            BlockDir b = new BlockDir(side.block()).requireFinished().requireComplete();
            sideBlocks.add(b);
            int dims = b.readMeta().dims();
            List<BlockDir> twins = new ArrayList<>();
            for (Path p : side.train()) {
                BlockDir t = new BlockDir(p).requireFinished().requireComplete();
                int twinDims = t.readMeta().dims();
                if (twinDims != dims) {
                    throw new BadInputException("the as-of twin " + p + " has " + twinDims + " dims but its block "
                            + side.block() + " has " + dims + "; a twin must be made like its block, on the window's "
                            + "as-of dir");
                }
                twins.add(t);
            }
            sideTwins.add(twins);
            inputs.add(b);
            inputs.addAll(twins);
        }
        listener.progress("dcn: " + data.describeEvents());
        for (BlockDir b : inputs) {
            String events = b.events();
            if (events != null && !events.equals(data.eventsSource())) {
                throw new BadInputException(b.dir() + " was made from events: " + events + " but this run reads "
                        + "events: " + data.eventsSource() + "; the DCN would train on one and embed the other. Make "
                        + "every input block and the DCN with --all-events (final submission) or all without it");
            }
        }
        List<String> notes = new ArrayList<>();
        DcnConfig net = availableTasks(data, cfg.net(), cfg.explicitTasks(), notes, listener);
        listener.progress("dcn: heads " + String.join(" ", net.tasks().stream().map(Task::cliName).toList())
                + (net.activityWeight() > 0 ? " + activity" : "") + "; train clients per window: " + cfg.trainClients()
                + " (--train-clients)");
        int labelDays = net.labelDays();
        Path work = outDir.toAbsolutePath().normalize().resolve(WORK);
        List<TrainWindow> trainWindows = new ArrayList<>();
        List<Object> proxies = new ArrayList<>();
        AsOf asOf = null;
        for (int k = 0; k < cfg.windows(); k++) {
            AsOf a = AsOf.materialise(data, work.resolve("asof-" + k), labelDays, k * labelDays, cfg.trainClients(),
                    cfg.seed());
            listener.progress(String.format(Locale.ROOT, "dcn: window %d: events before %s, labels from [%s, %s): %d "
                    + "of %d clients (%d relevant) bought", k + 1, fmt(a.asOf()), fmt(a.asOf()), fmt(a.cutoff()),
                    a.labels().buyers(), a.labels().rows(), a.relevantClients()));
            for (String note : a.notes()) {
                notes.add(note);
                listener.progress("dcn: note: " + note);
            }
            long[] proxy = a.labels().lists().get(Task.PROPENSITY_NEW_SKU);
            if (proxy != null && net.tasks().contains(Task.PROPENSITY_NEW_SKU)) {
                proxies.add(proxy.length);
            }
            BlockDir trainFeat;
            if (!cfg.trainFeatures().isEmpty()) {
                trainFeat = new BlockDir(cfg.trainFeatures().get(k)).requireFinished().requireComplete();
            } else {
                listener.progress("dcn: features as of " + fmt(a.asOf()) + " with the settings of " + feat.dir());
                Path out = work.resolve("features-asof-" + k);
                features.build(feat, a.dir(), out, listener);
                trainFeat = new BlockDir(out);
            }
            if (!cfg.keepWork()) {
                AtomicFiles.deleteTree(work.resolve("asof-" + k));
            }
            checkSameColumns(trainFeat, feat);
            List<BlockDir> sides = new ArrayList<>();
            for (int j = 0; j < sideBlocks.size(); j++) {
                sides.add(sideTwins.get(j).isEmpty() ? sideBlocks.get(j) : sideTwins.get(j).get(k));
            }
            trainWindows.add(new TrainWindow(a.labels(), trainFeat, sides));
            if (k == 0) {
                asOf = a;
            }
        }
        for (int j = 0; j < sideBlocks.size(); j++) {
            if (sideTwins.get(j).isEmpty()) {
                String w = "training uses " + sideBlocks.get(j).dir() + " at the real cutoff; it has seen the label "
                        + "window (pass --side-train with that block computed on the as-of dir of " + fmt(asOf.asOf())
                        + (cfg.windows() > 1 ? " and one per earlier window" : "") + " to avoid it)";
                notes.add(w);
                listener.progress("dcn: note: " + w);
            }
        }
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("data_dir", data.root().toString());
        info.put("events_dir", data.eventsDir().toString());
        info.put("as_of", fmt(asOf.asOf()));
        info.put("cutoff", fmt(asOf.cutoff()));
        info.put("windows", cfg.windows());
        info.put("train_clients", cfg.trainClients().toString());
        if (!proxies.isEmpty()) {
            info.put("new_sku_proxy_sizes", proxies);
        }
        info.put("prepare_seconds", Math.round((System.nanoTime() - t0) / 1e7) / 100.0);
        if (!notes.isEmpty()) {
            info.put("notes", notes);
        }
        Inputs in = new Inputs(trainWindows, feat, sideBlocks, RelevantClients.read(data));
        Result r = fit(in, outDir, net, cfg.seed(), info, listener);
        if (!cfg.keepWork()) {
            AtomicFiles.deleteTree(work);
        }
        return r;
    }

    /**
     * The training and inference feature blocks must have the same columns: the same feature names when both
     * block.json files list them, else the same width.
     */
    static void checkSameColumns(BlockDir train, BlockDir infer) {
        BlockDir.Meta a = train.readMeta();
        BlockDir.Meta b = infer.readMeta();
        Object na = a.config().get("feature_names");
        Object nb = b.config().get("feature_names");
        if (na != null && nb != null ? !na.equals(nb) : a.dims() != b.dims()) {
            throw new BadInputException("the as-of feature block " + train.dir() + " and " + infer.dir()
                    + " have different columns (" + (na != null && nb != null ? "feature_names differ"
                            : a.dims() + " and " + b.dims() + " dims") + ")");
        }
    }

    private static String fmt(java.time.LocalDateTime t) {
        return t.format(SplitWindows.TIMESTAMP);
    }

    /** What a run wrote. */
    public record Result(BlockDir block, BlockDir.Meta meta, DcnEncoder.Result fit) {
    }

    /** Trains over prepared blocks and writes the block (the second half of {@link #run}). */
    public static Result fit(Inputs in, Path outDir, DcnConfig cfg, long seed, Map<String, Object> info) {
        return fit(in, outDir, cfg, seed, info, StageListener.NONE);
    }

    /** As {@link #fit(Inputs, Path, DcnConfig, long, Map)}, reporting missing rows to {@code listener}. */
    public static Result fit(Inputs in, Path outDir, DcnConfig cfg, long seed, Map<String, Object> info,
            StageListener listener) {
        long t0 = System.nanoTime();
        BlockDir target = new BlockDir(outDir);
        try (BlockDir.Build build = target.build()) {
            BlockDir block = build.block();
            List<String> problems = new ArrayList<>();
            List<DcnInputs> parts = new ArrayList<>();
            List<List<DcnEncoder.Head>> headParts = new ArrayList<>();
            for (int k = 0; k < in.windows().size(); k++) {
                TrainWindow w = in.windows().get(k);
                DcnInputs x = DcnInputs.load(w.labels().clientIds(), w.features(), w.sides());
                String where = "window " + (k + 1) + ": ";
                missing(problems, where, w.features(), x.missingFeatureRows(), x.rows(), "training");
                for (int j = 0; j < w.sides().size(); j++) {
                    missing(problems, where, w.sides().get(j), x.missingSideRows()[j], x.rows(), "training");
                }
                parts.add(x);
                headParts.add(DcnEncoder.heads(cfg, w.labels()));
            }
            DcnInputs train = DcnInputs.stack(parts);
            List<DcnEncoder.Head> heads = DcnEncoder.Head.stack(headParts);
            // the per-window copies are garbage from here on (at the challenge's size 2.2 GB of features a window)
            parts.clear();
            headParts.clear();
            long[] ids = in.inferIds();
            DcnInputs infer = DcnInputs.load(ids, in.features(), in.sides());
            missing(problems, "", in.features(), infer.missingFeatureRows(), infer.rows(), "relevant");
            for (int j = 0; j < in.sides().size(); j++) {
                missing(problems, "", in.sides().get(j), infer.missingSideRows()[j], infer.rows(), "relevant");
            }
            for (String p : problems) {
                listener.progress("dcn: warning: " + p);
            }
            // the checkpoint lives in the final dir's work dir, which a kill leaves for the rerun to resume from
            Path checkpoints = outDir.toAbsolutePath().normalize().resolve(WORK);
            DcnEncoder.Result fit = new DcnEncoder(cfg, seed, checkpoints, listener)
                    .fitInPlace(train, heads, infer, block.dir().resolve(LOSS_CSV)); // train, infer not used after
            Npy.writeLongs(block.clientIdsFile(), ids);
            Npy.writeFloat32(block.embeddingsFile(), fit.embeddings(), fit.rows(), fit.dims());
            Map<String, Object> config = new LinkedHashMap<>(cfg.toMap());
            List<Object> windows = new ArrayList<>();
            for (TrainWindow w : in.windows()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("labels", w.labels().from().format(SplitWindows.TIMESTAMP) + " .. "
                        + w.labels().to().format(SplitWindows.TIMESTAMP));
                m.put("rows", w.labels().rows());
                m.put("buyers", w.labels().buyers());
                m.put("features", w.features().dir().toString());
                m.put("sides", w.sides().stream().map(b -> b.dir().toString()).toList());
                windows.add(m);
            }
            config.put("train_windows", windows);
            config.put("features", in.features().dir().toString());
            List<Object> sides = new ArrayList<>();
            for (int j = 0; j < in.sides().size(); j++) {
                Map<String, Object> m = new LinkedHashMap<>();
                BlockDir b = in.sides().get(j);
                m.put("block", b.dir().toString());
                List<String> twins = new ArrayList<>();
                for (TrainWindow w : in.windows()) {
                    BlockDir t = w.sides().get(j);
                    twins.add(t.dir().equals(b.dir()) ? "the block itself (has seen the label window)"
                            : t.dir().toString());
                }
                m.put("train", twins);
                sides.add(m);
            }
            config.put("sides", sides);
            config.putAll(fit.summary());
            if (!problems.isEmpty()) {
                config.put("warnings", problems);
            }
            if (info != null) {
                config.putAll(info);
            }
            List<Path> fp = new ArrayList<>();
            List<BlockDir> used = new ArrayList<>();
            for (TrainWindow w : in.windows()) {
                used.add(w.features());
                used.addAll(w.sides());
            }
            used.add(in.features());
            used.addAll(in.sides());
            for (BlockDir b : used) {
                fp.add(b.clientIdsFile());
                fp.add(b.embeddingsFile());
            }
            BlockDir.Meta meta = BlockDir.Meta.of(COMPONENT, fit.dims(), fit.rows(), "float32", config, seed,
                    Fingerprint.of(fp.toArray(Path[]::new)), (System.nanoTime() - t0) / 1e9)
                    .withEvents(in.features().events());
            build.publish(meta);
            DcnEncoder.deleteCheckpoint(checkpoints); // the block is out: nothing left to resume
            return new Result(target, meta, fit);
        }
    }

    /** Adds "DIR lacks m of n … rows (they are 0)" when m > 0. */
    private static void missing(List<String> problems, String where, BlockDir b, int m, int n, String what) {
        if (m > 0) {
            problems.add(where + b.embeddingsFile() + " lacks " + m + " of " + n + " " + what
                    + " clients (their rows are 0)");
        }
    }
}
