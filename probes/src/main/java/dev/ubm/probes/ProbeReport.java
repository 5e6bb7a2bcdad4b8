package dev.ubm.probes;

import dev.ubm.core.AtomicFiles;
import dev.ubm.core.Chart;
import dev.ubm.core.Task;
import dev.ubm.probes.metrics.TaskScore;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;


/**
 * The human side of a score dir: {@code report.md} (one row per task: AUROC and the organisers' weighted score,
 * and beside them the random control, the oracle and the share of the random-to-oracle AUROC gap this embedding
 * closes) and {@code report.png}, the same AUROCs as grouped bars drawn with Java2D (headless).
 */
public final class ProbeReport {
    private static final Color RANDOM = new Color(0xB0, 0xB0, 0xB0);
    private static final Color THIS = new Color(0x2F, 0x6D, 0xB5);
    private static final Color ORACLE = new Color(0x3A, 0x9E, 0x5C);

    private ProbeReport() {
    }

    public static void write(Path dir, ProbeSummary s, List<Task> tasks) {
        AtomicFiles.writeString(dir.resolve("report.md"), markdown(s, tasks));
        Chart.writePng(chart(s, tasks), dir.resolve("report.png"));
    }

    static String markdown(ProbeSummary s, List<Task> tasks) {
        StringBuilder sb = new StringBuilder();
        sb.append("# Probe report").append(s.control() ? " (random control)" : "").append("\n\n");
        sb.append(String.format(Locale.ROOT, "Probe `%s` on %d clients x %d dims%s, %.1f s%s.%n%n",
                s.kind().cliName(), s.rows(), s.dims(),
                s.control() ? " (a random Gaussian embedding of that shape)" : "", s.seconds(),
                s.device().isEmpty() ? "" : ", device " + s.device()));
        boolean oracle = !s.oracle().isEmpty();
        boolean random = !s.random().isEmpty() && !s.control();
        sb.append("| task | key | clients | AUROC | score | best epoch |");
        if (random) {
            sb.append(" random AUROC |");
        }
        if (oracle) {
            sb.append(" oracle AUROC | oracle score |");
        }
        if (oracle && random) {
            sb.append(" gap closed |");
        }
        sb.append('\n');
        int cols = 6 + (random ? 1 : 0) + (oracle ? 2 : 0) + (oracle && random ? 1 : 0);
        sb.append("|").append("---|".repeat(cols)).append('\n');
        for (Task t : tasks) {
            TaskResult r = s.results().get(t);
            if (r == null) {
                continue;
            }
            sb.append(String.format(Locale.ROOT, "| %s | %s | %d | %.4f | %.4f | %d |", t.cliName(), t.scoreKey(),
                    r.samples(), r.best().auroc(), r.score(), r.bestEpoch()));
            if (random) {
                sb.append(cell(s.random().get(t) == null ? Double.NaN : s.random().get(t).auroc()));
            }
            if (oracle) {
                TaskScore o = s.oracle().get(t);
                sb.append(cell(o == null ? Double.NaN : o.auroc())).append(cell(o == null ? Double.NaN : o.score()));
            }
            if (oracle && random) {
                double g = s.gapClosed(t);
                sb.append(Double.isNaN(g) ? " - |" : String.format(Locale.ROOT, " %.1f%% |", 100 * g));
            }
            sb.append('\n');
        }
        sb.append('\n');
        sb.append("AUROC: torchmetrics' (macro over labels for propensity tasks, 0 for a label with no positive). "
                + "Score: the organisers' weighted metric (the AUROC for churn and conversion; 0.8 AUROC + 0.1 "
                + "diversity + 0.1 novelty for propensity tasks), best of the epochs, rounded to 4 decimals as in "
                + "scores.json. Compare embeddings on AUROC: novelty collapses to ~0 as soon as a probe predicts "
                + "popular labels confidently.\n");
        if (oracle) {
            sb.append("\nOracle: per client and label, the probability of the label over the validation window as "
                    + "the simulator's own intensities give it (averaged over K simulated futures), scored against "
                    + "the real validation window: the ceiling of every task. ");
            if (random) {
                sb.append("Gap closed = (AUROC - random AUROC) / (oracle AUROC - random AUROC), the random "
                        + "control being a Gaussian embedding of the same shape under the same probe.");
            }
            sb.append('\n');
        }
        sb.append("\nFiles: scores.json and epochs.json (the organisers' format), metrics.json (every epoch), "
                + "report.png, run.json.\n");
        return sb.toString();
    }

    private static String cell(double v) {
        return Double.isNaN(v) ? " - |" : String.format(Locale.ROOT, " %.4f |", v);
    }

    static BufferedImage chart(ProbeSummary s, List<Task> tasks) {
        int n = tasks.size();
        int w = Math.max(480, 110 * n + 120);
        int h = 360;
        int left = 60;
        int right = 20;
        int top = 40;
        int bottom = 70;
        Chart.Canvas canvas = Chart.canvas(w, h, "AUROC per task (" + s.kind().cliName() + " probe"
                + (s.control() ? ", random control" : "") + ")", left);
        try (canvas) {
            Graphics2D g = canvas.g();
            double min = 1.0;
            for (Task t : tasks) {
                for (double v : new double[] {value(s.control() ? null : s.random().get(t)), value(s.oracle().get(t)),
                    s.results().containsKey(t) ? s.results().get(t).best().auroc() : Double.NaN}) {
                    min = Double.isNaN(v) ? min : Math.min(min, v);
                }
            }
            double lo = Math.max(0.0, Math.min(0.4, Math.floor(min * 10) / 10));
            double hi = 1.0;
            int ticks = (int) Math.round((hi - lo) * 10);
            int plotH = h - top - bottom;
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            for (int k = 0; k <= ticks; k++) {
                double v = lo + k * 0.1;
                int y = top + plotH - (int) Math.round((v - lo) / (hi - lo) * plotH);
                g.setColor(new Color(0xE6, 0xE6, 0xE6));
                g.drawLine(left, y, w - right, y);
                g.setColor(Color.DARK_GRAY);
                g.drawString(String.format(Locale.ROOT, "%.1f", v), left - 30, y + 4);
            }
            int groupW = (w - left - right) / Math.max(n, 1);
            int barW = Math.max(8, groupW / 5);
            for (int i = 0; i < n; i++) {
                Task t = tasks.get(i);
                int x0 = left + i * groupW + groupW / 2 - (3 * barW) / 2;
                double[] vals = {
                    value(s.control() ? null : s.random().get(t)),
                    s.results().containsKey(t) ? s.results().get(t).best().auroc() : Double.NaN,
                    value(s.oracle().get(t))};
                Color[] colors = {RANDOM, THIS, ORACLE};
                for (int b = 0; b < 3; b++) {
                    if (Double.isNaN(vals[b])) {
                        continue;
                    }
                    double v = Math.max(lo, Math.min(hi, vals[b]));
                    int bh = (int) Math.round((v - lo) / (hi - lo) * plotH);
                    int x = x0 + b * barW;
                    g.setColor(colors[b]);
                    g.fillRect(x, top + plotH - bh, barW - 2, bh);
                    g.setColor(Color.DARK_GRAY);
                    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 9));
                    g.drawString(String.format(Locale.ROOT, "%.2f", vals[b]), x - 2, top + plotH - bh - 3);
                }
                g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
                g.setColor(Color.BLACK);
                String label = t.scoreKey();
                int lw = g.getFontMetrics().stringWidth(label);
                g.drawString(label, left + i * groupW + (groupW - lw) / 2, top + plotH + 16);
            }
            g.setColor(Color.BLACK);
            g.setStroke(new BasicStroke(1f));
            g.drawLine(left, top + plotH, w - right, top + plotH);
            String[] names = {"random control", s.control() ? "random (this run)" : "this embedding", "oracle"};
            Color[] colors = {RANDOM, THIS, ORACLE};
            boolean[] shown = {!s.control() && !s.random().isEmpty(), true, !s.oracle().isEmpty()};
            int lx = left;
            int ly = h - 22;
            for (int b = 0; b < 3; b++) {
                if (!shown[b]) {
                    continue;
                }
                g.setColor(colors[b]);
                g.fillRect(lx, ly - 9, 12, 10);
                g.setColor(Color.BLACK);
                g.drawString(names[b], lx + 16, ly);
                lx += 40 + g.getFontMetrics().stringWidth(names[b]);
            }
        }
        return canvas.image();
    }

    private static double value(TaskScore s) {
        return s == null ? Double.NaN : s.auroc();
    }
}
