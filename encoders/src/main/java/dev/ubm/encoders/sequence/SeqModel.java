package dev.ubm.encoders.sequence;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

import dev.ubm.core.EventType;
import dev.ubm.nn.CausalTransformer;
import dev.ubm.nn.tabular.OwnedArrays;

import java.util.EnumMap;
import java.util.Map;

/**
 * The Argus-like sequence encoder. Each token is the concatenation of its fields' rows of one shared table
 * (item x2 and category x2 from two hash functions, type, price bucket, log time gap, hour of week, and the mean
 * of its 16 name/query code rows), projected to {@code dim}, plus a learned position; then a pre-LN causal
 * transformer. Heads: a query projection per sampled-softmax objective scored against an item tower over the same
 * table (sku: hashes, category, price, name codes; url: hashes), and linear classifiers for next type and gap.
 */
final class SeqModel extends AbstractBlock {
    private static final byte VERSION = 1;
    /** Bumped whenever tokens or layers change shape, so old checkpoints are not resumed into a new model. */
    static final String ARCH = "argus-5-f" + TokenLayout.FIELDS;
    /** Labels of the activity head (see {@link Objective#ACTIVITY}). */
    static final int ACTIVITY_LABELS = 4;
    private final SeqConfig cfg;
    private final TokenLayout layout;
    private final Parameter table;
    private final Parameter positions;
    private final Linear inProj;
    private final CausalTransformer transformer;
    private final Map<Objective, Linear> heads = new EnumMap<>(Objective.class);
    private final Linear skuTower;
    private final Linear urlTower;
    private final int targets;

    SeqModel(SeqConfig cfg) {
        this(cfg, 0);
    }

    /** @param targets width of the targets head ({@link TargetLabels#size()}); used when that objective is on */
    SeqModel(SeqConfig cfg, int targets) {
        super(VERSION);
        if (cfg.has(Objective.TARGETS) && targets <= 0) {
            throw new IllegalArgumentException("the targets objective needs at least one target label");
        }
        this.cfg = cfg;
        this.targets = targets;
        this.layout = new TokenLayout(cfg.hashBuckets());
        table = addParameter(Parameter.builder().setName("table").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(layout.rows(), cfg.hashDim())).optInitializer(new NormalInitializer(0.1f))
                .optRequiresGrad(false).build());
        positions = addParameter(Parameter.builder().setName("positions").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(cfg.maxLen(), cfg.dim())).optInitializer(new NormalInitializer(0.02f)).build());
        inProj = addChildBlock("in_proj", Linear.builder().setUnits(cfg.dim()).build());
        transformer = addChildBlock("transformer", CausalTransformer.builder().setDim(cfg.dim())
                .setHeads(cfg.heads()).setLayers(cfg.layers()).optFfnMult(cfg.ffnMult()).optDropout(cfg.dropout())
                .optRelativeBuckets(cfg.timeBias() ? TokenLayout.GAPS : 0).build());
        for (Objective o : cfg.objectives().keySet()) {
            int units = switch (o) {
                case NEXT_TYPE -> EventType.values().length;
                case ACTIVITY -> ACTIVITY_LABELS;
                case VOLUME -> TokenLayout.COUNTS;
                case TIME_GAP -> TokenLayout.GAPS;
                case TARGETS -> targets;
                default -> cfg.dim();
            };
            heads.put(o, addChildBlock("head_" + o.cliName(), Linear.builder().setUnits(units).build()));
        }
        skuTower = cfg.has(Objective.NEXT_ITEM) || cfg.has(Objective.FUTURE_WINDOW)
                ? addChildBlock("sku_tower", Linear.builder().setUnits(cfg.dim()).build()) : null;
        urlTower = cfg.has(Objective.NEXT_URL)
                ? addChildBlock("url_tower", Linear.builder().setUnits(cfg.dim()).build()) : null;
    }

    SeqConfig config() {
        return cfg;
    }

    /** The shared table; trained row-wise by {@link dev.ubm.nn.LazyAdamTable}, read through a batch's rows. */
    Parameter table() {
        return table;
    }

    /** Initializes all parameters (call once, after seeding the engine). */
    void init(NDManager manager) {
        initialize(manager, DataType.FLOAT32, new Shape(1, cfg.maxLen(), TokenLayout.FIELDS),
                new Shape(1, cfg.maxLen(), TokenLayout.CODES), new Shape(1, cfg.hashDim()),
                new Shape(1, cfg.maxLen(), cfg.maxLen()));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        int e = cfg.hashDim();
        int d = cfg.dim();
        inProj.initialize(manager, dataType, new Shape(1, 1, (TokenLayout.FIELDS + 1L) * e));
        transformer.initialize(manager, dataType, new Shape(1, 1, d));
        for (Linear h : heads.values()) {
            h.initialize(manager, dataType, new Shape(1, d));
        }
        if (skuTower != null) {
            skuTower.initialize(manager, dataType, new Shape(1, (TokenLayout.SKU_FIELDS + 1L) * e));
        }
        if (urlTower != null) {
            urlTower.initialize(manager, dataType, new Shape(1, 2L * e));
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), s.get(1), cfg.dim())};
    }

    /**
     * inputs: tokens (B, T, FIELDS) and codes (B, T, CODES) as int32 indices into the batch's table rows, and those
     * rows (R, hashDim), and with the time bias the relative time buckets (B, T, T); output: (B, T, dim).
     */
    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray tok = inputs.get(0);
        NDArray codes = inputs.get(1);
        long b = tok.getShape().get(0);
        long t = tok.getShape().get(1);
        NDArray tab = inputs.get(2);
        NDArray fields = lookup(tok, tab).reshape(b, t, (long) TokenLayout.FIELDS * cfg.hashDim());
        NDArray codeMean = lookup(codes, tab).mean(new int[] {2});
        NDArray x = inProj.forward(ps, new NDList(fields.concat(codeMean, 2)), training).singletonOrThrow();
        NDArray pos = lookup(tok.getManager().arange(0, (int) t, 1, DataType.INT32, tok.getDevice()),
                ps.getValue(positions, tok.getDevice(), training));
        x = x.add(pos);
        if (training && cfg.dropout() > 0) {
            x = x.getNDArrayInternal().dropout(x, cfg.dropout(), true).singletonOrThrow();
        }
        return new NDList(inputs.size() > 3 ? transformer.forward(ps, x, inputs.get(3), training)
                : transformer.forward(ps, x, training));
    }

    private static NDArray lookup(NDArray rows, NDArray tab) {
        return Embedding.embedding(rows, tab, SparseFormat.DENSE).singletonOrThrow();
    }

    /** Hidden states (B*T, dim) of a batch; {@code rows} are the batch's table rows (see {@link SeqBatch#rows}). */
    NDArray hidden(ParameterStore ps, NDManager m, SeqBatch batch, NDArray rows, boolean training) {
        NDArray tok = m.create(batch.tokens(), new Shape(batch.batch(), batch.time(), TokenLayout.FIELDS));
        NDArray codes = m.create(batch.codes(), new Shape(batch.batch(), batch.time(), TokenLayout.CODES));
        NDList in = new NDList(tok, codes, rows);
        if (batch.relTime() != null) {
            in.add(m.create(batch.relTime(), new Shape(batch.batch(), batch.time(), batch.time())));
        }
        NDArray h = forward(ps, in, training).singletonOrThrow();
        return h.reshape(-1, cfg.dim());
    }

    /** Columns of a client's vector: {@code dim}, plus the target labels with the now+targets readout. */
    int outputDim() {
        return cfg.readout() == SeqConfig.Readout.NOW_TARGETS ? cfg.dim() + targets : cfg.dim();
    }

    /**
     * The client vectors at the given flat positions, as (n, {@link #outputDim()}): the L2-normalised outputs, with
     * the now+targets readout followed by the targets head's logits (standardised per column and the row normalised
     * again by {@link SeqInference}).
     */
    NDArray vectorsAt(ParameterStore ps, NDArray hidden, NDManager m, long[] flat) {
        NDArray h = hidden.get(m.create(flat));
        NDArray v = h.normalize(2, 1, 1e-12);
        return cfg.readout() == SeqConfig.Readout.NOW_TARGETS
                ? v.concat(head(ps, Objective.TARGETS, h, false), 1) : v;
    }

    /**
     * The weighted training loss of a batch and each objective's value (NaN when the batch has no row for it), in
     * {@link Objective} order of the enabled objectives.
     */
    Loss loss(ParameterStore ps, NDManager m, SeqBatch batch, NDArray rows, boolean training) {
        NDArray h = hidden(ps, m, batch, rows, training);
        Map<Objective, NDArray> parts = new EnumMap<>(Objective.class);
        if (cfg.has(Objective.NEXT_TYPE) && batch.typeRows().length > 0) {
            parts.put(Objective.NEXT_TYPE, classify(ps, m, h, Objective.NEXT_TYPE, batch.typeRows(),
                    batch.typeLabels(), training));
        }
        if (cfg.has(Objective.TIME_GAP) && batch.gapRows().length > 0) {
            parts.put(Objective.TIME_GAP, classify(ps, m, h, Objective.TIME_GAP, batch.gapRows(),
                    batch.gapLabels(), training));
        }
        // activity, targets and volume label the same positions: gather their hidden states once
        int na = batch.activityRows().length;
        NDArray ha = na > 0 && (cfg.has(Objective.ACTIVITY) || cfg.has(Objective.TARGETS)
                || cfg.has(Objective.VOLUME)) ? h.get(m.create(batch.activityRows())) : null;
        if (ha != null && cfg.has(Objective.ACTIVITY)) {
            NDArray y = m.create(batch.activityLabels(), new Shape(na, ACTIVITY_LABELS));
            parts.put(Objective.ACTIVITY, binaryCrossEntropy(head(ps, Objective.ACTIVITY, ha, training), y));
        }
        if (ha != null && cfg.has(Objective.TARGETS)) {
            NDArray y = m.create(batch.targetLabels(), new Shape(na, targets));
            // summed over the labels (a mean over 300 rare labels would vanish beside the other objectives)
            parts.put(Objective.TARGETS, binaryCrossEntropy(head(ps, Objective.TARGETS, ha, training), y)
                    .mul(OwnedArrays.scalar(m, (float) targets)));
        }
        if (ha != null && cfg.has(Objective.VOLUME)) {
            parts.put(Objective.VOLUME, crossEntropy(head(ps, Objective.VOLUME, ha, training), m,
                    batch.volumeLabels()));
        }
        if (batch.skuColumns() > 0) {
            NDArray items = skuVectors(ps, m, batch, rows, training);
            NDArray logQ = m.create(batch.skuLogQ());
            if (cfg.has(Objective.NEXT_ITEM) && batch.itemRows().length > 0) {
                parts.put(Objective.NEXT_ITEM, sampled(ps, m, h, Objective.NEXT_ITEM, batch.itemRows(),
                        batch.itemLabels(), items, logQ, training));
            }
            if (cfg.has(Objective.FUTURE_WINDOW) && batch.windowRows().length > 0) {
                parts.put(Objective.FUTURE_WINDOW, sampled(ps, m, h, Objective.FUTURE_WINDOW, batch.windowRows(),
                        batch.windowLabels(), items, logQ, training));
            }
        }
        if (cfg.has(Objective.NEXT_URL) && batch.urlColumns() > 0 && batch.urlRows().length > 0) {
            int n = batch.urlColumns();
            NDArray emb = lookup(m.create(batch.urlFields(), new Shape(n, 2)), rows).reshape(n, 2L * cfg.hashDim());
            NDArray urls = urlTower.forward(ps, new NDList(emb), training).singletonOrThrow().normalize(2, 1, 1e-12);
            parts.put(Objective.NEXT_URL, sampled(ps, m, h, Objective.NEXT_URL, batch.urlRows(), batch.urlLabels(),
                    urls, m.create(batch.urlLogQ()), training));
        }
        NDArray total = null;
        for (Map.Entry<Objective, NDArray> e : parts.entrySet()) {
            NDArray w = e.getValue().mul(OwnedArrays.scalar(m, (float) cfg.weight(e.getKey())));
            total = total == null ? w : total.add(w);
        }
        if (total == null) {
            total = m.zeros(new Shape());
        }
        return new Loss(total, parts);
    }

    /** The weighted sum and the unweighted parts. */
    record Loss(NDArray total, Map<Objective, NDArray> parts) {
    }

    private NDArray skuVectors(ParameterStore ps, NDManager m, SeqBatch batch, NDArray tab, boolean training) {
        int n = batch.skuColumns();
        NDArray f = lookup(m.create(batch.skuFields(), new Shape(n, TokenLayout.SKU_FIELDS)), tab)
                .reshape(n, (long) TokenLayout.SKU_FIELDS * cfg.hashDim());
        NDArray c = lookup(m.create(batch.skuCodes(), new Shape(n, TokenLayout.CODES)), tab).mean(new int[] {1});
        return skuTower.forward(ps, new NDList(f.concat(c, 1)), training).singletonOrThrow().normalize(2, 1, 1e-12);
    }

    private NDArray classify(ParameterStore ps, NDManager m, NDArray h, Objective o, long[] rows, int[] labels,
            boolean training) {
        return crossEntropy(head(ps, o, h.get(m.create(rows)), training), m, labels);
    }

    /** The output of objective o's head on hidden states x. */
    private NDArray head(ParameterStore ps, Objective o, NDArray x, boolean training) {
        return heads.get(o).forward(ps, new NDList(x), training).singletonOrThrow();
    }

    private NDArray sampled(ParameterStore ps, NDManager m, NDArray h, Objective o, long[] rows, int[] labels,
            NDArray items, NDArray logQ, boolean training) {
        NDArray q = heads.get(o).forward(ps, new NDList(h.get(m.create(rows))), training).singletonOrThrow()
                .normalize(2, 1, 1e-12);
        NDArray logits = q.matMul(items.transpose()).mul(OwnedArrays.scalar(m, 1.0f / cfg.temperature())).sub(logQ);
        return crossEntropy(logits, m, labels);
    }

    /**
     * Mean binary cross-entropy with logits: {@code max(x, 0) - x y + log(1 + exp(-|x|))}, with libtorch's relu and
     * softplus (no Number operands, see {@link OwnedArrays}).
     */
    static NDArray binaryCrossEntropy(NDArray logits, NDArray y) {
        return Activation.relu(logits).sub(logits.mul(y)).add(Activation.softPlus(logits.abs().neg())).mean();
    }

    /** Mean of {@code -log softmax(logits)[label]} over rows. */
    static NDArray crossEntropy(NDArray logits, NDManager m, int[] labels) {
        long[] l = new long[labels.length];
        for (int i = 0; i < l.length; i++) {
            l[i] = labels[i];
        }
        NDArray idx = m.create(l, new Shape(l.length, 1));
        return logits.logSoftmax(1).gather(idx, 1).mean().neg();
    }
}
