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
 * last {@code labelDays} of the input, then embeds every relevant client from the features at the real cutoff.
 * Writes {@code client_ids.npy}, {@code embeddings.npy} (float32), {@code loss.csv} and {@code block.json} (last).
 */
public final class DcnStage {
    /** Component name in block.json. */
    public static final String COMPONENT = "dcn";
    public static final String LOSS_CSV = "loss.csv";

    private DcnStage() {
    }

    /**
     * Inputs of one run: the as-of labels (rows = relevant clients), the feature block computed on the as-of dir,
     * the feature block at the real cutoff, and optionally the sequence block to embed with and the one to train
     * with (when no as-of sequence block exists the real one is used for training too).
     */
    public record Inputs(AsOf.Labels labels, BlockDir trainFeatures, BlockDir features, BlockDir trainSeq,
            BlockDir seq) {
        public Inputs {
            if (labels == null || trainFeatures == null || features == null) {
                throw new IllegalArgumentException("labels and both feature blocks are required");
            }
            if (trainSeq != null && seq == null) {
                throw new BadInputException("a training sequence block needs the sequence block to embed with");
            }
            if (seq != null && trainSeq == null) {
                trainSeq = seq;
            }
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
        long[] ids = in.labels().clientIds();
        DcnInputs train = DcnInputs.load(ids, in.trainFeatures(), in.trainSeq());
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
        List<DcnEncoder.Head> heads = DcnEncoder.heads(cfg, in.labels());
        DcnEncoder.Result fit = new DcnEncoder(cfg, seed).fit(train, heads, infer, block.dir().resolve(LOSS_CSV));
        Npy.writeLongs(block.clientIdsFile(), ids);
        Npy.writeFloat32(block.embeddingsFile(), fit.embeddings(), fit.rows(), fit.dims());
        Map<String, Object> config = new LinkedHashMap<>(cfg.toMap());
        config.put("train_features", in.trainFeatures().dir().toString());
        config.put("features", in.features().dir().toString());
        config.put("seq", in.seq() == null ? "none" : in.seq().dir().toString());
        config.put("train_seq", in.trainSeq() == null ? "none" : in.trainSeq().dir().toString());
        config.put("label_window", in.labels().from().format(SplitWindows.TIMESTAMP) + " .. "
                + in.labels().to().format(SplitWindows.TIMESTAMP));
        config.put("label_buyers", in.labels().buyers());
        config.putAll(fit.summary());
        if (!problems.isEmpty()) {
            config.put("warnings", problems);
        }
        if (info != null) {
            config.putAll(info);
        }
        List<Path> fp = new ArrayList<>();
        for (BlockDir b : new BlockDir[] {in.trainFeatures(), in.features(), in.trainSeq(), in.seq()}) {
            if (b != null) {
                fp.add(b.clientIdsFile());
                fp.add(b.embeddingsFile());
            }
        }
        BlockDir.Meta meta = BlockDir.Meta.of(COMPONENT, fit.dims(), fit.rows(), "float32", config, seed,
                Fingerprint.of(fp.toArray(Path[]::new)), (System.nanoTime() - t0) / 1e9);
        block.writeMeta(meta);
        return new Result(block, meta, fit);
    }
}
