package dev.ubm.probes.tabular;

import dev.ubm.core.Progress;
import dev.ubm.core.UnexpectedStateException;
import dev.ubm.probes.Embeddings;
import dev.ubm.probes.Probe;
import dev.ubm.probes.metrics.TaskScore;
import dev.ubm.probes.targets.Labels;
import dev.ubm.probes.targets.TaskTargets;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * Gradient-boosted trees (XGBoost4J, hist) as a fast probe: one binary:logistic model for churn and conversion,
 * and for a propensity task one small model per label with at least one positive in the train window (a label
 * without positives gets its constant prior logit). The train and validation clients are the same, so the model
 * predicts the rows it was trained on, scored against the validation window, as the organisers' probe does.
 */
public final class XgboostProbe implements Probe {
    /**
     * @param binaryRounds boosting rounds for churn and conversion
     * @param labelRounds boosting rounds per propensity label
     * @param colsample share of columns each tree sees (speed on wide embeddings)
     * @param maxBin histogram bins per column
     */
    public record Config(int binaryRounds, int binaryDepth, double binaryEta, int labelRounds, int labelDepth,
            double labelEta, double colsample, int maxBin, long seed) {
        public static final Config DEFAULT = new Config(50, 5, 0.2, 15, 3, 0.3, 0.5, 64, 42);

        public Config {
            if (binaryRounds < 1 || labelRounds < 1 || binaryDepth < 1 || labelDepth < 1 || !(binaryEta > 0)
                    || !(labelEta > 0) || !(colsample > 0 && colsample <= 1) || maxBin < 2) {
                throw new IllegalArgumentException("bad xgboost settings: " + this);
            }
        }

        public Config withSeed(long s) {
            return new Config(binaryRounds, binaryDepth, binaryEta, labelRounds, labelDepth, labelEta, colsample, maxBin,
                    s);
        }

        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("binary_rounds", binaryRounds);
            m.put("binary_depth", binaryDepth);
            m.put("binary_eta", binaryEta);
            m.put("label_rounds", labelRounds);
            m.put("label_depth", labelDepth);
            m.put("label_eta", labelEta);
            m.put("colsample_bytree", colsample);
            m.put("max_bin", maxBin);
            m.put("seed", seed);
            return m;
        }
    }

    private final Config cfg;

    public XgboostProbe(Config cfg) {
        this.cfg = cfg;
    }

    @Override
    public String name() {
        return "xgboost";
    }

    @Override
    public List<TaskScore> fit(Embeddings x, TaskTargets t, Validator validator) {
        int n = t.samples();
        int width = t.width();
        float[] data = Features.gather(x, t.rows(), name());
        float[] logits = new float[n * width];
        Labels train = t.train();
        int[] positives = train.positivesPerColumn();
        boolean binary = t.task().isBinary();
        DMatrix dm = null;
        try (Progress bar = new Progress("xgboost " + t.task().cliName(), width, "labels")) {
            dm = new DMatrix(data, n, x.dims(), Float.NaN);
            float[] y = new float[n];
            for (int j = 0; j < width; j++) {
                if (positives[j] == 0 || positives[j] == n) {
                    float c = Features.priorLogit(positives[j], n);
                    for (int i = 0; i < n; i++) {
                        logits[i * width + j] = c;
                    }
                    bar.add(1);
                    continue;
                }
                train.column(j, y);
                dm.setLabel(y);
                Booster b = XGBoost.train(dm, params(binary), binary ? cfg.binaryRounds() : cfg.labelRounds(),
                        new HashMap<>(), null, null);
                try {
                    float[][] margin = b.predict(dm, true, 0);
                    for (int i = 0; i < n; i++) {
                        logits[i * width + j] = margin[i][0];
                    }
                } finally {
                    b.dispose();
                }
                bar.add(1);
            }
        } catch (XGBoostError e) {
            throw new UnexpectedStateException("XGBoost failed on " + t.task().cliName() + ": " + e.getMessage(), e);
        } finally {
            if (dm != null) {
                dm.dispose();
            }
        }
        return List.of(validator.score(logits));
    }

    private Map<String, Object> params(boolean binary) {
        Map<String, Object> p = new HashMap<>();
        p.put("objective", "binary:logistic");
        p.put("tree_method", "hist");
        p.put("max_depth", binary ? cfg.binaryDepth() : cfg.labelDepth());
        p.put("eta", binary ? cfg.binaryEta() : cfg.labelEta());
        p.put("colsample_bytree", cfg.colsample());
        p.put("max_bin", cfg.maxBin());
        p.put("nthread", Runtime.getRuntime().availableProcessors());
        p.put("seed", cfg.seed());
        p.put("verbosity", 0);
        return p;
    }
}
