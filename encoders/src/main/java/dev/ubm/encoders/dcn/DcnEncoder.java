package dev.ubm.encoders.dcn;

import dev.ubm.core.AtomicFiles;
import dev.ubm.core.BadInputException;
import dev.ubm.core.Json;
import dev.ubm.core.StageListener;
import dev.ubm.core.Task;
import dev.ubm.data.AsOf;
import dev.ubm.nn.tabular.Columns;
import dev.ubm.nn.tabular.OwnedArrays;
import dev.ubm.nn.tabular.PleBins;

import dev.ubm.nn.AdamW;
import dev.ubm.nn.Engines;
import dev.ubm.nn.LrSchedule;
import dev.ubm.nn.TrainingLoop;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Trains the DCN tabular net on labels from inside the input period and embeds every client with it. Supervised
 * heads (churn on clients active before the label window, conversion, category and SKU propensity) use binary
 * cross-entropy, each divided by the entropy of its label rates (so 1.0 = no better than the prior); the
 * contrastive loss is InfoNCE between each client's clean inputs and a random masking of them (each numeric feature
 * and side-block dimension dropped with maskProb; SCARF-style anchor and corrupted view, one forward pass cheaper than
 * two masked views) with in-batch negatives. The
 * chosen hidden layer of the trained net, evaluated on the inference inputs, is the block. Everything DJL stays
 * inside {@link #fit}.
 */
public final class DcnEncoder {
    /** How a head's outputs are fitted. */
    public enum Kind {
        /** 0/1 labels, binary cross-entropy with logits; biases start at the log-odds of the label rates. */
        BINARY,
        /** Real targets, squared error; biases start at the target means. */
        REGRESSION
    }

    /**
     * One supervised head: labels rows × outputs, optional row mask (1 = the row counts), loss weight. Its loss is
     * divided by the loss of predicting the training prior (label entropy, or target variance), so 1.0 = the prior.
     */
    public record Head(String name, Kind kind, int outputs, float[] labels, float[] mask, float weight) {
        public Head {
            if (outputs < 1 || labels.length % outputs != 0
                    || (mask != null && mask.length != labels.length / outputs)) {
                throw new IllegalArgumentException("labels/mask sizes do not match for head " + name);
            }
        }

        /** A binary head for a task (no-buy label or multi-hot over the task's list). */
        public static Head of(Task task, int outputs, float[] labels, float[] mask) {
            return new Head(task.cliName(), Kind.BINARY, outputs, labels, mask, 1f);
        }

        int rows() {
            return labels.length / outputs;
        }

        /**
         * The heads of several label windows stacked row-wise (same names and kinds in the same order). A head
         * narrower in one window than in another (a new-sku proxy list with fewer skus) is padded with 0 labels to
         * the widest. The heads of one window are returned as they are.
         */
        public static List<Head> stack(List<List<Head>> windows) {
            if (windows.size() == 1) {
                return windows.get(0);
            }
            List<Head> out = new ArrayList<>();
            for (int k = 0; k < windows.get(0).size(); k++) {
                Head first = windows.get(0).get(k);
                int rows = 0;
                int width = 0;
                boolean masked = false;
                for (List<Head> w : windows) {
                    Head h = w.get(k);
                    if (!h.name().equals(first.name()) || h.kind() != first.kind()) {
                        throw new IllegalArgumentException("windows have different heads");
                    }
                    rows += h.rows();
                    width = Math.max(width, h.outputs());
                    masked |= h.mask() != null;
                }
                float[] labels = new float[rows * width];
                float[] mask = masked ? new float[rows] : null;
                int row = 0;
                for (List<Head> w : windows) {
                    Head h = w.get(k);
                    for (int i = 0; i < h.rows(); i++) {
                        System.arraycopy(h.labels(), i * h.outputs(), labels, (row + i) * width, h.outputs());
                        if (mask != null) {
                            mask[row + i] = h.mask() == null ? 1f : h.mask()[i];
                        }
                    }
                    row += h.rows();
                }
                out.add(new Head(first.name(), first.kind(), width, labels, mask, first.weight()));
            }
            return out;
        }
    }

    /** Name of the auxiliary activity head. */
    public static final String ACTIVITY = "activity";

    /** Losses of one epoch (supervised losses are normalised: 1.0 = the label prior). */
    public record Epoch(int epoch, double trainLoss, double trainSupervised, double trainContrastive,
            double validationSupervised, Map<String, Double> validationHeads, double seconds) {
    }

    /** The block and how training went. */
    public record Result(float[] embeddings, int rows, int dims, List<Epoch> epochs, Map<String, Object> summary) {
    }

    /** The checkpoint file in the checkpoint dir (the net and its optimiser after the last finished epoch). */
    public static final String CHECKPOINT = "dcn.ckpt";
    /** The finished epochs' losses beside the checkpoint, so a resumed fit reports every epoch. */
    static final String CHECKPOINT_EPOCHS = "dcn-epochs.json";

    private final DcnConfig cfg;
    private final long seed;
    private final Path checkpointDir;
    private final StageListener listener;
    /** Stop after this many epochs of a call as if killed (tests); negative = never. */
    int stopAfter = -1;

    /** An encoder without a checkpoint: a killed fit starts again from the first epoch. */
    public DcnEncoder(DcnConfig cfg, long seed) {
        this(cfg, seed, null, StageListener.NONE);
    }

    /**
     * An encoder that saves the net and its optimiser after every epoch in {@code checkpointDir} (null: none) and
     * resumes a fit from there when the config (epochs aside), seed and training inputs are those of the saved run.
     * Everything random in an epoch is drawn from (seed, epoch), so a resumed fit ends as the uninterrupted one.
     * A resume is reported to {@code listener}.
     */
    public DcnEncoder(DcnConfig cfg, long seed, Path checkpointDir, StageListener listener) {
        this.cfg = cfg;
        this.seed = seed;
        this.checkpointDir = checkpointDir;
        this.listener = listener;
    }

    /** The heads of the config's tasks from as-of labels (churn masked to clients active before the window). */
    public static List<Head> heads(DcnConfig cfg, AsOf.Labels labels) {
        List<Head> out = new ArrayList<>();
        for (Task t : cfg.tasks()) {
            if (t.isBinary()) {
                float[] mask = null;
                if (t.activeClientsOnly()) {
                    mask = new float[labels.rows()];
                    for (int i = 0; i < mask.length; i++) {
                        mask[i] = labels.active()[i] ? 1f : 0f;
                    }
                }
                out.add(Head.of(t, 1, labels.noBuy().clone(), mask));
            } else {
                float[] m = labels.multiHot().get(t);
                if (m == null) {
                    throw new BadInputException("task " + t.cliName() + " needs target/" + t.listStem()
                            + ".npy in the data dir");
                }
                out.add(Head.of(t, labels.lists().get(t).length, m, null));
            }
        }
        if (cfg.activityWeight() > 0) {
            float[] a = labels.activity().clone();
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) Math.log1p(a[i]);
            }
            out.add(new Head(ACTIVITY, Kind.REGRESSION, a.length / labels.rows(), a, null, cfg.activityWeight()));
        }
        return out;
    }

    /**
     * Trains on {@code train} (rows aligned with the heads' labels) and embeds {@code infer}.
     *
     * @param lossCsv where the per-epoch losses are written (atomically, after every epoch), or null
     */
    public Result fit(DcnInputs train, List<Head> heads, DcnInputs infer, Path lossCsv) {
        return fit(train, heads, infer, lossCsv, false);
    }

    /**
     * As {@link #fit(DcnInputs, List, DcnInputs, Path)}, but scales the feature and side arrays of {@code train} and
     * {@code infer} where they lie instead of copying them: the caller's inputs hold scaled values afterwards. At the
     * challenge's size this saves two copies of a million feature rows (4.4 GB of heap).
     */
    public Result fitInPlace(DcnInputs train, List<Head> heads, DcnInputs infer, Path lossCsv) {
        return fit(train, heads, infer, lossCsv, true);
    }

    private Result fit(DcnInputs train, List<Head> heads, DcnInputs infer, Path lossCsv, boolean inPlace) {
        long t0 = System.nanoTime();
        int n = train.rows();
        for (Head h : heads) {
            if (h.rows() != n) {
                throw new IllegalArgumentException("head " + h.name() + " has " + h.rows() + " rows, inputs " + n);
            }
        }
        Map<String, Object> identity = identity(train, heads); // before the inputs are scaled in place
        if (infer.featureDims() != train.featureDims() || infer.sideDims() != train.sideDims()) {
            throw new BadInputException("training inputs have " + train.featureDims() + " features + "
                    + train.sideDims() + " side dims but inference inputs " + infer.featureDims() + " + "
                    + infer.sideDims());
        }
        int f = train.featureDims();
        int s = train.sideDims();
        Preprocessor fp = Preprocessor.fit(train.features(), n, f, true);
        float[][] x = scale(fp, train.features(), n, infer.features(), infer.rows(), f, inPlace);
        float[] xTrain = x[0];
        float[] xInfer = x[1];
        float[] sTrain = new float[0];
        float[] sInfer = new float[0];
        if (s > 0) {
            // a z-score per column, so each side block is standardised on its own training rows
            Preprocessor sp = Preprocessor.fit(train.side(), n, s, false);
            float[][] side = scale(sp, train.side(), n, infer.side(), infer.rows(), s, inPlace);
            sTrain = side[0];
            sInfer = side[1];
        }
        PleBins bins = cfg.binMethod() == PleBins.Method.QUANTILE
                ? PleBins.quantile(xTrain, n, f, cfg.bins(), seed)
                : PleBins.tree(xTrain, n, f, treeTarget(heads, n), cfg.bins(), 64, 1e-4, seed);
        double[] prior = new double[heads.size()];
        for (int k = 0; k < heads.size(); k++) {
            prior[k] = priorEntropy(heads.get(k));
        }
        int[][] split = holdoutByClient(train.clientIds(), cfg.holdout(), cfg.batchSize(), new Random(seed));
        int[] hold = split[0];
        int[] fitOrder = split[1];
        int[] fitRows = fitOrder.clone();
        int nHold = hold.length;
        int[] outputs = heads.stream().mapToInt(Head::outputs).toArray();
        Engines.seed(seed);
        Path ckpt = checkpointDir == null ? null : checkpointDir.resolve(CHECKPOINT);
        Path ckptEpochs = checkpointDir == null ? null : checkpointDir.resolve(CHECKPOINT_EPOCHS);
        int resumeFrom = ckpt == null ? -1 : TrainingLoop.resumableEpoch(ckpt, identity, cfg.epochs());
        List<Epoch> epochs = resumeFrom > 0 ? readEpochs(ckptEpochs, resumeFrom) : new ArrayList<>();
        if (epochs.size() < resumeFrom) {
            AtomicFiles.deleteQuietly(ckpt); // the saved epochs' losses are gone: train from the first epoch
            epochs.clear();
        } else if (resumeFrom > 0) {
            listener.progress(String.format(Locale.ROOT, "dcn: resuming from the checkpoint after epoch %d of %d (%s)",
                    resumeFrom, cfg.epochs(), ckpt));
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        float[] emb;
        int dims;
        try (NDManager manager = Engines.newManager(Engines.device())) {
            DcnNet net = new DcnNet(bins, s, cfg, outputs);
            int batch = Math.min(cfg.batchSize(), Math.max(2, fitRows.length));
            int stepsPerEpoch = (fitRows.length + batch - 1) / batch;
            Shape[] shapes = s > 0 ? new Shape[] {new Shape(batch, f), new Shape(batch, s)}
                    : new Shape[] {new Shape(batch, f)};
            net.initialize(manager, DataType.FLOAT32, shapes);
            for (int k = 0; k < heads.size(); k++) {
                net.setHeadPrior(k, outputRates(heads.get(k)), heads.get(k).kind() == Kind.BINARY);
            }
            long params = 0;
            for (var p : net.getParameters().values()) {
                params += p.getArray().getShape().size();
            }
            summary.put("parameters", params);
            AdamW opt = new AdamW(net, AdamW.Config.defaults().withWeightDecay(cfg.weightDecay()), AdamW::all,
                    manager);
            ParameterStore ps = new ParameterStore(manager, false);
            float[] fx = xTrain;
            float[] fs = sTrain;
            TrainingLoop.Trainable model = new TrainingLoop.Trainable() {
                private Random rnd;

                @Override
                public int batches(int epoch) {
                    // the epoch's order, masks and dropout depend on (seed, epoch) alone, so a resumed fit repeats
                    rnd = new Random(seed * 1_000_003L + epoch);
                    System.arraycopy(fitOrder, 0, fitRows, 0, fitRows.length);
                    shuffle(fitRows, rnd);
                    Engines.seed(seed * 1_000_003L + epoch);
                    return stepsPerEpoch;
                }

                @Override
                public TrainingLoop.Step step(int epoch, int b, float lr) {
                    int from = b * batch;
                    int to = Math.min(fitRows.length, from + batch);
                    if (to - from < 2) {
                        return TrainingLoop.Step.NONE; // a lone row: no step
                    }
                    int[] rows = java.util.Arrays.copyOfRange(fitRows, from, to);
                    try (NDManager sub = manager.newSubManager()) {
                        NDList in = inputs(sub, rows, fx, f, fs, s);
                        float[] parts;
                        try (GradientCollector gc = Engines.torch().newGradientCollector()) {
                            NDList clean = net.forward(ps, in, true);
                            NDArray sup = supervised(sub, clean, heads, prior, rows, null);
                            NDArray con;
                            if (cfg.contrastiveWeight() > 0) {
                                NDArray masked = net.forward(ps, masked(sub, in, rows.length, f, s, rnd), true).get(2);
                                con = infoNce(clean.get(2), masked, cfg.temperature());
                            } else {
                                con = clean.get(2).sum().mul(OwnedArrays.scalar(sub, 0f));
                            }
                            NDArray loss = sup.add(con.mul(OwnedArrays.scalar(sub, cfg.contrastiveWeight())));
                            parts = new float[] {loss.getFloat(), sup.getFloat(), con.getFloat()};
                            if (!Float.isFinite(parts[0])) {
                                return TrainingLoop.Step.of(1, parts);
                            }
                            gc.backward(loss);
                        }
                        opt.step(lr);
                        return TrainingLoop.Step.of(1, parts);
                    }
                }

                @Override
                public String endEpoch(int epoch, double[] mean, double seconds) {
                    Map<String, Double> vh = new LinkedHashMap<>();
                    double vs = nHold > 0 ? validate(manager, net, hold, fx, f, fs, s, heads, prior, vh) : Double.NaN;
                    // no step in the epoch (a single training row) gives NaN losses
                    double[] m = mean.length == 3 ? mean : new double[] {Double.NaN, Double.NaN, Double.NaN};
                    epochs.add(new Epoch(epoch + 1, m[0], m[1], m[2], vs, vh, seconds));
                    if (lossCsv != null) {
                        AtomicFiles.writeString(lossCsv, csv(epochs, heads));
                    }
                    if (ckptEpochs != null) {
                        writeEpochs(ckptEpochs, epochs);
                    }
                    return String.format(Locale.ROOT, "epoch %d loss %.4f val %.4f", epoch + 1, m[0], vs);
                }
            };
            TrainingLoop loop = new TrainingLoop("dcn", cfg.epochs())
                    .schedule(LrSchedule.constant(cfg.learningRate()))
                    .progress("steps", stepsPerEpoch)
                    .nanGuard(0, "try a lower --lr or fewer --cross-layers");
            if (ckpt != null) {
                try {
                    java.nio.file.Files.createDirectories(checkpointDir);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot create " + checkpointDir, e);
                }
                loop.checkpoint(new TrainingLoop.Resume(ckpt, identity, net, manager, opt),
                        "delete " + checkpointDir + " to train from the first epoch");
            }
            TrainingLoop.Outcome outcome = loop.run(model, stopAfter);
            if (outcome.startEpoch() > 0) {
                summary.put("resumed_after_epoch", outcome.startEpoch());
            }
            int[] logitHeads = cfg.layer() == DcnConfig.Layer.LOGITS ? binaryHeads(heads) : new int[0];
            Map<String, List<Integer>> logitColumns = new LinkedHashMap<>();
            int at = cfg.blockDim();
            for (int k : logitHeads) {
                logitColumns.put(heads.get(k).name(), List.of(at, at + heads.get(k).outputs()));
                at += heads.get(k).outputs();
            }
            dims = switch (cfg.layer()) {
                case BOTTLENECK -> cfg.blockDim();
                case DCN -> net.dcnOutputDim();
                case LOGITS -> at;
            };
            emb = embed(manager, net, xInfer, infer.rows(), f, sInfer, s, dims, logitHeads, heads);
            if (!logitColumns.isEmpty()) {
                Columns.standardise(emb, infer.rows(), dims, cfg.blockDim());
                summary.put("logit_columns", logitColumns);
            }
        }
        summary.put("train_rows", fitRows.length);
        summary.put("holdout_rows", nHold);
        summary.put("numeric_features", f);
        summary.put("side_dims", s);
        summary.put("max_bins", bins.maxBins());
        Map<String, Object> rates = new LinkedHashMap<>();
        for (Head h : heads) {
            rates.put(h.name(), positiveRate(h));
        }
        summary.put("label_rates", rates);
        if (!epochs.isEmpty()) {
            Epoch first = epochs.get(0);
            Epoch last = epochs.get(epochs.size() - 1);
            summary.put("first_epoch_loss", first.trainLoss());
            summary.put("last_epoch_loss", last.trainLoss());
            summary.put("last_validation_supervised", last.validationSupervised());
        }
        summary.put("fit_seconds", (System.nanoTime() - t0) / 1e9);
        return new Result(emb, infer.rows(), dims, epochs, summary);
    }

    /** Removes the checkpoint files from {@code checkpointDir} (the fit's block is published). */
    public static void deleteCheckpoint(Path checkpointDir) {
        AtomicFiles.deleteQuietly(checkpointDir.resolve(CHECKPOINT));
        AtomicFiles.deleteQuietly(checkpointDir.resolve(CHECKPOINT_EPOCHS));
    }

    /**
     * What a checkpoint must match to be resumed: the config but its epochs (a longer run may go on from a shorter
     * one's last epoch), the seed, and hashes of the training inputs (client ids, features, side blocks, every head's
     * labels and mask), which with them fix everything the fit does.
     */
    private Map<String, Object> identity(DcnInputs train, List<Head> heads) {
        Map<String, Object> m = new LinkedHashMap<>(cfg.toMap());
        m.remove("epochs");
        m.put("seed", seed);
        List<Object> h = new ArrayList<>();
        h.add(java.util.Arrays.hashCode(train.clientIds()));
        h.add(java.util.Arrays.hashCode(train.features()));
        h.add(java.util.Arrays.hashCode(train.side()));
        for (Head head : heads) {
            h.add(head.name() + ":" + java.util.Arrays.hashCode(head.labels()) + ":"
                    + java.util.Arrays.hashCode(head.mask()));
        }
        m.put("input_hashes", h);
        return Json.parseObject(Json.write(m)); // as the checkpoint will hold it
    }

    private static void writeEpochs(Path file, List<Epoch> epochs) {
        List<Object> rows = new ArrayList<>();
        for (Epoch e : epochs) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("epoch", e.epoch());
            m.put("train_loss", e.trainLoss());
            m.put("train_supervised", e.trainSupervised());
            m.put("train_contrastive", e.trainContrastive());
            m.put("val_supervised", e.validationSupervised());
            m.put("val_heads", e.validationHeads());
            m.put("seconds", e.seconds());
            rows.add(m);
        }
        AtomicFiles.writeString(file, Json.write(Map.of("epochs", rows)));
    }

    /** The first {@code count} epochs written by {@link #writeEpochs}; fewer (or none) when the file lacks them. */
    @SuppressWarnings("unchecked")
    private static List<Epoch> readEpochs(Path file, int count) {
        List<Epoch> out = new ArrayList<>();
        try {
            for (Object o : (List<Object>) Json.parseObject(java.nio.file.Files.readString(file)).get("epochs")) {
                if (out.size() == count) {
                    break;
                }
                Map<String, Object> m = (Map<String, Object>) o;
                Map<String, Double> heads = new LinkedHashMap<>();
                ((Map<String, Object>) m.get("val_heads")).forEach((k, v) -> heads.put(k, number(v)));
                out.add(new Epoch(((Number) m.get("epoch")).intValue(), number(m.get("train_loss")),
                        number(m.get("train_supervised")), number(m.get("train_contrastive")),
                        number(m.get("val_supervised")), heads, number(m.get("seconds"))));
            }
        } catch (IOException | RuntimeException e) {
            out.clear();
        }
        return out;
    }

    /** A number written by {@link Json} (which writes NaN as null). */
    private static double number(Object v) {
        return v == null ? Double.NaN : ((Number) v).doubleValue();
    }

    /**
     * The training and inference matrices scaled by {@code p}: copies, or the arrays themselves overwritten; one
     * array passed as both is scaled once.
     */
    private static float[][] scale(Preprocessor p, float[] train, int trainRows, float[] infer, int inferRows,
            int cols, boolean inPlace) {
        float[] t = inPlace ? p.applyInPlace(train, trainRows, cols) : p.apply(train, trainRows, cols);
        if (infer == train) {
            return new float[][] {t, t};
        }
        return new float[][] {t, inPlace ? p.applyInPlace(infer, inferRows, cols) : p.apply(infer, inferRows, cols)};
    }

    private NDList inputs(NDManager m, int[] rows, float[] x, int f, float[] side, int s) {
        NDList in = new NDList(OwnedArrays.floats(m, gather(x, f, rows), new Shape(rows.length, f)));
        if (s > 0) {
            in.add(OwnedArrays.floats(m, gather(side, s, rows), new Shape(rows.length, s)));
        }
        return in;
    }

    private NDList masked(NDManager m, NDList clean, int b, int f, int s, Random rnd) {
        NDList in = new NDList(clean);
        in.add(OwnedArrays.floats(m, keepMask(b * f, rnd), new Shape(b, f)));
        if (s > 0) {
            in.add(OwnedArrays.floats(m, keepMask(b * s, rnd), new Shape(b, s)));
        }
        return in;
    }

    private float[] keepMask(int n, Random rnd) {
        float[] k = new float[n];
        for (int i = 0; i < n; i++) {
            k[i] = rnd.nextFloat() < cfg.maskProb() ? 0f : 1f;
        }
        return k;
    }

    /** Σ_heads BCE_head / prior entropy_head; per-head normalised values go to {@code perHead} when given. */
    private static NDArray supervised(NDManager m, NDList out, List<Head> heads, double[] prior, int[] rows,
            Map<String, Double> perHead) {
        NDArray total = null;
        for (int k = 0; k < heads.size(); k++) {
            Head h = heads.get(k);
            NDArray logits = out.get(3 + k);
            NDArray y = OwnedArrays.floats(m, gather(h.labels(), h.outputs(), rows), new Shape(rows.length, h.outputs()));
            NDArray bce = h.kind() == Kind.BINARY ? bce(logits, y) : logits.sub(y).square();
            NDArray l;
            if (h.mask() != null) {
                float[] mk = gather(h.mask(), 1, rows);
                float cnt = 0;
                for (float v : mk) {
                    cnt += v;
                }
                l = bce.mul(OwnedArrays.floats(m, mk, new Shape(rows.length, 1))).sum()
                        .div(OwnedArrays.scalar(m, Math.max(1f, cnt)));
            } else {
                l = bce.mean();
            }
            l = l.div(OwnedArrays.scalar(m, (float) prior[k]));
            if (perHead != null) {
                perHead.merge(h.name(), (double) l.getFloat(), Double::sum);
            }
            if (h.weight() != 1f) {
                l = l.mul(OwnedArrays.scalar(m, h.weight()));
            }
            total = total == null ? l : total.add(l);
        }
        return total;
    }

    /** Numerically stable binary cross-entropy with logits, elementwise: relu(z) − z·y + softplus(−|z|). */
    static NDArray bce(NDArray z, NDArray y) {
        return Activation.relu(z).sub(z.mul(y)).add(Activation.softPlus(z.abs().neg()));
    }

    /** Symmetric InfoNCE between row-paired projections, in-batch negatives. */
    static NDArray infoNce(NDArray p1, NDArray p2, float temperature) {
        NDArray z1 = p1.normalize(2, 1, 1e-8);
        NDArray z2 = p2.normalize(2, 1, 1e-8);
        NDArray logits = z1.matMul(z2.transpose()).div(OwnedArrays.scalar(p1.getManager(), temperature));
        NDArray a = logits.logSoftmax(1).diagonal().mean().neg();
        NDArray b = logits.transpose().logSoftmax(1).diagonal().mean().neg();
        return a.add(b).div(OwnedArrays.scalar(p1.getManager(), 2f));
    }

    private double validate(NDManager manager, DcnNet net, int[] hold, float[] x, int f, float[] seq, int s,
            List<Head> heads, double[] prior, Map<String, Double> perHead) {
        double total = 0;
        int batches = 0;
        int batch = 1024;
        for (int from = 0; from < hold.length; from += batch) {
            int[] rows = java.util.Arrays.copyOfRange(hold, from, Math.min(hold.length, from + batch));
            try (NDManager sub = manager.newSubManager()) {
                NDList out = net.forward(evalStore(manager), inputs(sub, rows, x, f, seq, s), false);
                Map<String, Double> ph = new LinkedHashMap<>();
                total += supervised(sub, out, heads, prior, rows, ph).getFloat() * rows.length;
                for (Map.Entry<String, Double> e : ph.entrySet()) {
                    perHead.merge(e.getKey(), e.getValue() * rows.length, Double::sum);
                }
                batches += rows.length;
            }
        }
        perHead.replaceAll((k, v) -> v / hold.length);
        return total / batches;
    }

    /**
     * A parameter store for evaluation on the model's own manager: a store attaches the parameter arrays to its
     * manager, so one on a per-batch sub-manager would free the parameters when the batch closes.
     */
    private static ParameterStore evalStore(NDManager manager) {
        return new ParameterStore(manager, false);
    }

    /** Indexes (into {@code heads}) of the binary heads, whose logits the {@code LOGITS} layer appends. */
    private static int[] binaryHeads(List<Head> heads) {
        return IntStream.range(0, heads.size()).filter(k -> heads.get(k).kind() == Kind.BINARY)
                .toArray();
    }

    /**
     * The block rows of {@code n} inference rows: the layer of {@code cfg.layer()}, then (LOGITS) the raw logits of
     * {@code logitHeads}.
     */
    private float[] embed(NDManager manager, DcnNet net, float[] x, int n, int f, float[] seq, int s, int dims,
            int[] logitHeads, List<Head> heads) {
        float[] out = new float[n * dims];
        int batch = 2048;
        int idx = cfg.layer() == DcnConfig.Layer.DCN ? 1 : 0;
        for (int from = 0; from < n; from += batch) {
            int to = Math.min(n, from + batch);
            int[] rows = new int[to - from];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = from + i;
            }
            try (NDManager sub = manager.newSubManager()) {
                NDList o = net.forward(evalStore(manager), inputs(sub, rows, x, f, seq, s), false);
                float[] z = o.get(idx).toFloatArray();
                int w = z.length / rows.length;
                float[][] logits = new float[logitHeads.length][];
                for (int j = 0; j < logitHeads.length; j++) {
                    logits[j] = o.get(3 + logitHeads[j]).toFloatArray();
                }
                for (int i = 0; i < rows.length; i++) {
                    int at = (from + i) * dims;
                    System.arraycopy(z, i * w, out, at, w);
                    at += w;
                    for (int j = 0; j < logitHeads.length; j++) {
                        int m = heads.get(logitHeads[j]).outputs();
                        System.arraycopy(logits[j], i * m, out, at, m);
                        at += m;
                    }
                }
            }
        }
        return out;
    }

    private static float[] treeTarget(List<Head> heads, int n) {
        for (Head h : heads) {
            if (h.kind() == Kind.BINARY && h.outputs() == 1 && h.mask() == null) {
                return h.labels();
            }
        }
        Head h = heads.get(0);
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < h.outputs(); k++) {
                y[i] += h.labels()[i * h.outputs() + k];
            }
        }
        return y;
    }

    /**
     * The loss of predicting the prior: mean over outputs of the binary entropy (nats) of each output's positive
     * rate (binary heads) or of each output's variance (regression heads), floored.
     */
    static double priorEntropy(Head h) {
        int n = h.rows();
        if (h.kind() == Kind.REGRESSION) {
            float[] mean = outputRates(h);
            double v = 0;
            double cnt = 0;
            for (int i = 0; i < n; i++) {
                double w = h.mask() == null ? 1 : h.mask()[i];
                cnt += w;
                for (int k = 0; k < h.outputs(); k++) {
                    double d = h.labels()[i * h.outputs() + k] - mean[k];
                    v += w * d * d;
                }
            }
            return Math.max(1e-3, cnt > 0 ? v / cnt / h.outputs() : 1);
        }
        double sum = 0;
        for (int k = 0; k < h.outputs(); k++) {
            double pos = 0;
            double cnt = 0;
            for (int i = 0; i < n; i++) {
                double w = h.mask() == null ? 1 : h.mask()[i];
                pos += w * h.labels()[i * h.outputs() + k];
                cnt += w;
            }
            double p = cnt > 0 ? pos / cnt : 0;
            p = Math.min(1 - 1e-4, Math.max(1e-4, p));
            sum += -(p * Math.log(p) + (1 - p) * Math.log(1 - p));
        }
        return Math.max(1e-3, sum / h.outputs());
    }

    /** Mean of each output of a head (the positive rate for binary heads; masked rows excluded). */
    static float[] outputRates(Head h) {
        float[] r = new float[h.outputs()];
        double cnt = 0;
        for (int i = 0; i < h.rows(); i++) {
            double w = h.mask() == null ? 1 : h.mask()[i];
            cnt += w;
            for (int k = 0; k < h.outputs(); k++) {
                r[k] += (float) (w * h.labels()[i * h.outputs() + k]);
            }
        }
        for (int k = 0; k < r.length; k++) {
            r[k] = cnt > 0 ? (float) (r[k] / cnt) : 0f;
        }
        return r;
    }

    private static double positiveRate(Head h) {
        double pos = 0;
        double cnt = 0;
        for (int i = 0; i < h.rows(); i++) {
            double w = h.mask() == null ? 1 : h.mask()[i];
            for (int k = 0; k < h.outputs(); k++) {
                pos += w * h.labels()[i * h.outputs() + k];
            }
            cnt += w * h.outputs();
        }
        return cnt > 0 ? pos / cnt : 0;
    }

    private static float[] gather(float[] x, int cols, int[] rows) {
        float[] out = new float[rows.length * cols];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(x, rows[i] * cols, out, i * cols, cols);
        }
        return out;
    }

    /**
     * Rows held out for the validation loss: all rows of a random {@code share} of the distinct clients (a client
     * with rows from several label windows is never on both sides). Returns {held-out rows, training rows}.
     */
    static int[][] holdoutByClient(long[] clientIds, float share, int batchSize, Random rnd) {
        long[] uniq = java.util.Arrays.stream(clientIds).distinct().toArray();
        int[] perm = permutation(uniq.length, rnd);
        int k = (int) Math.floor(uniq.length * (double) share);
        java.util.Set<Long> held = new java.util.HashSet<>();
        for (int i = 0; i < k; i++) {
            held.add(uniq[perm[i]]);
        }
        int[] h = new int[clientIds.length];
        int[] t = new int[clientIds.length];
        int nh = 0;
        int nt = 0;
        for (int i = 0; i < clientIds.length; i++) {
            if (held.contains(clientIds[i])) {
                h[nh++] = i;
            } else {
                t[nt++] = i;
            }
        }
        if (nt < batchSize / 2) {
            int[] all = new int[clientIds.length];
            for (int i = 0; i < all.length; i++) {
                all[i] = i;
            }
            return new int[][] {new int[0], all};
        }
        return new int[][] {java.util.Arrays.copyOf(h, nh), java.util.Arrays.copyOf(t, nt)};
    }

    private static int[] permutation(int n, Random rnd) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        shuffle(p, rnd);
        return p;
    }

    private static void shuffle(int[] a, Random rnd) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** The per-epoch losses as CSV. */
    static String csv(List<Epoch> epochs, List<Head> heads) {
        List<String> header = new ArrayList<>(List.of("epoch", "train_loss", "train_supervised", "train_contrastive",
                "val_supervised"));
        for (Head h : heads) {
            header.add("val_" + h.name());
        }
        header.add("seconds");
        StringBuilder sb = new StringBuilder();
        try (CSVPrinter p = new CSVPrinter(sb, CSVFormat.DEFAULT.builder().setRecordSeparator('\n')
                .setHeader(header.toArray(String[]::new)).get())) {
            for (Epoch e : epochs) {
                List<Object> rec = new ArrayList<>(List.of(e.epoch(), fmt(e.trainLoss()), fmt(e.trainSupervised()),
                        fmt(e.trainContrastive()), fmt(e.validationSupervised())));
                for (Head h : heads) {
                    rec.add(fmt(e.validationHeads().getOrDefault(h.name(), Double.NaN)));
                }
                rec.add(String.format(Locale.ROOT, "%.2f", e.seconds()));
                p.printRecord(rec);
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(ex); // a StringBuilder does not throw
        }
        return sb.toString();
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.5f", v);
    }
}
