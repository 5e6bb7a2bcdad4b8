package dev.ubm.probes.tabular;

import dev.ubm.core.Progress;
import dev.ubm.probes.Embeddings;
import dev.ubm.probes.Probe;
import dev.ubm.probes.metrics.TaskScore;
import dev.ubm.probes.targets.Labels;
import dev.ubm.probes.targets.TaskTargets;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * Logistic regression (Tribuo, SGD with AdaGrad) as the cheapest probe: features standardised on the task's rows
 * (the MLP probes see raw values, a linear model trained by SGD needs them scaled); one model for churn and
 * conversion, one per propensity label with at least one positive in the train window (others get their
 * constant prior logit). Tribuo's INFO logging is silenced.
 */
public final class LinearProbe implements Probe {
    /** Keeps Tribuo's logger configured (java.util.logging holds loggers weakly). */
    private static final Logger TRIBUO_LOG = Logger.getLogger("org.tribuo");

    static {
        TRIBUO_LOG.setLevel(Level.WARNING);
    }

    /** SGD epochs, AdaGrad learning rate, seed. */
    public record Config(int epochs, double learningRate, long seed) {
        public static final Config DEFAULT = new Config(3, 0.1, 42);

        public Config {
            if (epochs < 1 || !(learningRate > 0)) {
                throw new IllegalArgumentException("bad linear probe settings: " + this);
            }
        }

        public Config withSeed(long s) {
            return new Config(epochs, learningRate, s);
        }

        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("epochs", epochs);
            m.put("learning_rate", learningRate);
            m.put("seed", seed);
            return m;
        }
    }

    private static final Label POS = new Label("1");
    private static final Label NEG = new Label("0");
    private final Config cfg;

    public LinearProbe(Config cfg) {
        this.cfg = cfg;
    }

    @Override
    public String name() {
        return "linear";
    }

    @Override
    public List<TaskScore> fit(Embeddings x, TaskTargets t, Validator validator) {
        TRIBUO_LOG.setLevel(Level.WARNING);
        int n = t.samples();
        int d = x.dims();
        int width = t.width();
        float[] data = Features.gather(x, t.rows(), name());
        standardise(data, n, d);
        String[] names = new String[d];
        for (int j = 0; j < d; j++) {
            names[j] = String.format("f%05d", j);
        }
        List<ArrayExample<Label>> base = new ArrayList<>(n);
        double[] row = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                row[j] = data[i * d + j];
            }
            base.add(new ArrayExample<>(NEG, names, row));
        }
        Labels train = t.train();
        int[] positives = train.positivesPerColumn();
        float[] logits = new float[n * width];
        float[] col = new float[n];
        LabelFactory factory = new LabelFactory();
        try (Progress bar = new Progress("linear " + t.task().cliName(), width, "labels")) {
            for (int j = 0; j < width; j++) {
                if (positives[j] == 0 || positives[j] == n) {
                    float c = Features.priorLogit(positives[j], n);
                    for (int i = 0; i < n; i++) {
                        logits[i * width + j] = c;
                    }
                    bar.add(1);
                    continue;
                }
                MutableDataset<Label> ds = new MutableDataset<>(
                        new SimpleDataSourceProvenance("ubm " + t.task().cliName() + " label " + j,
                                OffsetDateTime.now(), factory), factory);
                train.column(j, col);
                for (int i = 0; i < n; i++) {
                    ds.add(new ArrayExample<>(col[i] > 0 ? POS : NEG, base.get(i), 1f));
                }
                LinearSGDTrainer trainer = new LinearSGDTrainer(new LogMulticlass(),
                        new AdaGrad(cfg.learningRate(), 0.1), cfg.epochs(), Integer.MAX_VALUE, 1, cfg.seed() + j);
                Model<Label> model = trainer.train(ds);
                List<Prediction<Label>> preds = model.predict(new ArrayList<Example<Label>>(base));
                for (int i = 0; i < n; i++) {
                    Label p = preds.get(i).getOutputScores().get("1");
                    double prob = p == null ? 0.0 : p.getScore();
                    prob = Math.min(1 - 1e-7, Math.max(1e-7, prob));
                    logits[i * width + j] = (float) Math.log(prob / (1 - prob));
                }
                bar.add(1);
            }
        }
        return List.of(validator.score(logits));
    }

    /** Centres and scales each column to unit variance (constant columns become 0). */
    static void standardise(float[] data, int n, int d) {
        for (int j = 0; j < d; j++) {
            double s = 0;
            double ss = 0;
            for (int i = 0; i < n; i++) {
                double v = data[i * d + j];
                s += v;
                ss += v * v;
            }
            double mean = s / Math.max(n, 1);
            double var = Math.max(0, ss / Math.max(n, 1) - mean * mean);
            double sd = var > 1e-12 ? Math.sqrt(var) : 1.0;
            for (int i = 0; i < n; i++) {
                data[i * d + j] = (float) ((data[i * d + j] - mean) / sd);
            }
        }
    }
}
