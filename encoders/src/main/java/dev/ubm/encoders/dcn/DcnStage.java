package dev.ubm.encoders.dcn;

import dev.ubm.core.AtomicFiles;
import dev.ubm.core.BadInputException;
import dev.ubm.core.BlockDir;
import dev.ubm.core.Fingerprint;
import dev.ubm.data.AsOf;
import dev.ubm.data.Npy;
import dev.ubm.data.SplitWindows;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The DCN stage over block dirs: trains on features computed as of {@code cutoff − labelDays} with labels from the
 * last {@code labelDays} of the input (and optionally on earlier windows of the same length), then embeds every
 * relevant client from the features at the real cutoff.
 * Writes {@code client_ids.npy}, {@code embeddings.npy} (float32), {@code loss.csv} and {@code block.json} (last).
 */
public final class DcnStage {
    /** Component name in block.json. */
    public static final String COMPONENT = "dcn";
    public static final String LOSS_CSV = "loss.csv";

    private DcnStage() {
    }

    /**
     * One training window: as-of labels (rows = relevant clients) with the feature block computed on that as-of dir
     * and optionally the sequence block to train with for it.
     */
    public record TrainWindow(AsOf.Labels labels, BlockDir features, BlockDir seq) {
        public TrainWindow {
            if (labels == null || features == null) {
                throw new IllegalArgumentException("a training window needs labels and a feature block");
            }
        }
    }

    /**
     * Inputs of one run: one or more training windows (the most recent first), the feature block at the real
     * cutoff, and optionally the sequence block to embed with (also used for training in windows without their own).
     */
    public record Inputs(List<TrainWindow> windows, BlockDir features, BlockDir seq) {
        public Inputs {
            if (windows == null || windows.isEmpty() || features == null) {
                throw new IllegalArgumentException("at least one training window and the feature block are required");
            }
            for (TrainWindow w : windows) {
                if (w.seq() != null && seq == null) {
                    throw new BadInputException("a training sequence block needs the sequence block to embed with");
                }
            }
            windows = List.copyOf(windows);
        }

        /** Inputs with a single training window. */
        public static Inputs of(AsOf.Labels labels, BlockDir trainFeatures, BlockDir features, BlockDir trainSeq,
                BlockDir seq) {
            return new Inputs(List.of(new TrainWindow(labels, trainFeatures, trainSeq)), features, seq);
        }
    }

    /** What a run wrote. */
    public record Result(BlockDir block, BlockDir.Meta meta, DcnEncoder.Result fit) {
    }

    public static Result run(Inputs in, Path outDir, DcnConfig cfg, long seed, Map<String, Object> info) {
        long t0 = System.nanoTime();
        BlockDir block = new BlockDir(outDir);
        block.createDirs();
        AtomicFiles.deleteQuietly(block.metaFile());
        long[] ids = in.windows().get(0).labels().clientIds();
        List<DcnInputs> parts = new ArrayList<>();
        List<List<DcnEncoder.Head>> headParts = new ArrayList<>();
        for (TrainWindow w : in.windows()) {
            if (!java.util.Arrays.equals(ids, w.labels().clientIds())) {
                throw new IllegalArgumentException("training windows must list the same clients in the same order");
            }
            parts.add(DcnInputs.load(ids, w.features(), w.seq() != null ? w.seq() : in.seq()));
            headParts.add(DcnEncoder.heads(cfg, w.labels()));
        }
        DcnInputs train = DcnInputs.stack(parts);
        List<DcnEncoder.Head> heads = DcnEncoder.Head.stack(headParts);
        DcnInputs infer = DcnInputs.load(ids, in.features(), in.seq());
        List<String> problems = new ArrayList<>();
        if (infer.missingFeatureRows() > 0) {
            problems.add(in.features().embeddingsFile() + " lacks " + infer.missingFeatureRows()
                    + " relevant clients (their feature rows are 0)");
        }
        if (infer.missingSeqRows() > 0) {
            problems.add(in.seq().embeddingsFile() + " lacks " + infer.missingSeqRows()
                    + " relevant clients (their sequence rows are 0)");
        }
        DcnEncoder.Result fit = new DcnEncoder(cfg, seed).fit(train, heads, infer, block.dir().resolve(LOSS_CSV));
        Npy.writeLongs(block.clientIdsFile(), ids);
        Npy.writeFloat32(block.embeddingsFile(), fit.embeddings(), fit.rows(), fit.dims());
        Map<String, Object> config = new LinkedHashMap<>(cfg.toMap());
        List<Object> windows = new ArrayList<>();
        for (TrainWindow w : in.windows()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("labels", w.labels().from().format(SplitWindows.TIMESTAMP) + " .. "
                    + w.labels().to().format(SplitWindows.TIMESTAMP));
            m.put("buyers", w.labels().buyers());
            m.put("features", w.features().dir().toString());
            m.put("seq", w.seq() != null ? w.seq().dir().toString() : in.seq() == null ? "none" : "the --seq block");
            windows.add(m);
        }
        config.put("train_windows", windows);
        config.put("features", in.features().dir().toString());
        config.put("seq", in.seq() == null ? "none" : in.seq().dir().toString());
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
            used.add(w.seq());
        }
        used.add(in.features());
        used.add(in.seq());
        for (BlockDir b : used) {
            if (b != null) {
                fp.add(b.clientIdsFile());
                fp.add(b.embeddingsFile());
            }
        }
        BlockDir.Meta meta = BlockDir.Meta.of(COMPONENT, fit.dims(), fit.rows(), "float32", config, seed,
                Fingerprint.of(fp.toArray(Path[]::new)), (System.nanoTime() - t0) / 1e9)
                .withEvents(in.features().events());
        block.writeMeta(meta);
        return new Result(block, meta, fit);
    }
}
