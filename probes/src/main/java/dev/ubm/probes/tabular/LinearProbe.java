package dev.ubm.probes.tabular;

import dev.ubm.core.Progress;
import dev.ubm.nn.tabular.Columns;
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
 * Logistic regression (Tribuo, SGD with AdaGrad) as the cheapest probe, on columns standardised over the task's
 * rows (the MLP probes see raw values; a linear model trained by SGD needs them scaled). Churn and conversion: one
 * binary model. A propensity task: one softmax model over its labels plus "none", trained on one example per
 * (client, label bought in the train window) and one "none" example per client who bought none of them; a
 * client's logit for label j is log(p_j / (1 - p_j)). One model per task instead of one per label keeps it fast
 * (Tribuo builds and converts a dataset per model). Tribuo's INFO logging is silenced.
 */
public final class LinearProbe implements Probe {
    /** Keeps Tribuo's logger configured (java.util.logging holds loggers weakly). */
    private static final Logger TRIBUO_LOG = Logger.getLogger("org.tribuo");
    private static final String NONE = "none";

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
            m.put("propensity", "one softmax model over the labels + none");
            return m;
        }
    }

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
        Columns.standardise(data, n, d, 0);
        String[] names = new String[d];
        for (int j = 0; j < d; j++) {
            names[j] = String.format("f%05d", j);
        }
        Label none = new Label(NONE);
        List<ArrayExample<Label>> rows = new ArrayList<>(n);
        double[] row = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                row[j] = data[i * d + j];
            }
            rows.add(new ArrayExample<>(none, names, row));
        }
        Label[] labels = new Label[width];
        for (int j = 0; j < width; j++) {
            labels[j] = new Label(Integer.toString(j));
        }
        Labels train = t.train();
        float[] logits = new float[n * width];
        LabelFactory factory = new LabelFactory();
        try (Progress bar = new Progress("linear " + t.task().cliName(), 3, "stages")) {
            MutableDataset<Label> ds = new MutableDataset<>(new SimpleDataSourceProvenance("ubm " + t.task().cliName(),
                    OffsetDateTime.now(), factory), factory);
            float[] y = new float[width];
            for (int i = 0; i < n; i++) {
                train.fill(i, 1, y);
                boolean any = false;
                for (int j = 0; j < width; j++) {
                    if (y[j] > 0) {
                        ds.add(new ArrayExample<>(labels[j], rows.get(i), 1f));
                        any = true;
                    }
                }
                if (!any) {
                    ds.add(rows.get(i));
                }
            }
            bar.add(1);
            LinearSGDTrainer trainer = new LinearSGDTrainer(new LogMulticlass(), new AdaGrad(cfg.learningRate(), 0.1),
                    cfg.epochs(), Integer.MAX_VALUE, 1, cfg.seed());
            Model<Label> model = trainer.train(ds);
            bar.add(1);
            int[] positives = train.positivesPerColumn();
            List<Prediction<Label>> preds = model.predict(new ArrayList<Example<Label>>(rows));
            for (int i = 0; i < n; i++) {
                Map<String, Label> scores = preds.get(i).getOutputScores();
                for (int j = 0; j < width; j++) {
                    Label p = scores.get(labels[j].getLabel());
                    if (p == null) {
                        // a label never seen in training has no class: its constant prior
                        logits[i * width + j] = Features.priorLogit(positives[j], n);
                        continue;
                    }
                    double prob = Math.min(1 - 1e-7, Math.max(1e-7, p.getScore()));
                    logits[i * width + j] = (float) Math.log(prob / (1 - prob));
                }
            }
            bar.add(1);
        }
        return List.of(validator.score(logits));
    }
}
