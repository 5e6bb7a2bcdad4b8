package dev.ubm.probes.ablation;

import dev.ubm.core.AtomicFiles;
import dev.ubm.core.Chart;
import dev.ubm.core.Task;
import dev.ubm.probes.TaskResult;
import dev.ubm.probes.metrics.TaskScore;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;


/**
 * Writes an ablation's files: {@code ablation.csv} (one line per variant, task and repeat, plus the oracle),
 * {@code ablation.md} (mean AUROC per variant and task, what each block adds, all blocks against each block alone,
 * or for a comparison each variant against the first, paired by probe seed with a t statistic when there are repeats, weighted scores) and
 * {@code ablation.png} (grouped bars of AUROC per task and variant, the oracle as a dashed line; Java2D headless).
 */
public final class AblationReport {
    public static final String CSV = "ablation.csv";
    public static final String MD = "ablation.md";
    public static final String PNG = "ablation.png";

    private static final Color[] PALETTE = {new Color(0x1b9e77), new Color(0xd95f02), new Color(0x7570b3),
        new Color(0xe7298a), new Color(0x66a61e), new Color(0xe6ab02), new Color(0xa6761d), new Color(0x666666),
        new Color(0x1f78b4), new Color(0xb2df8a), new Color(0xfb9a99), new Color(0xcab2d6)};

    private AblationReport() {
    }

    public static void write(Path dir, Ablation.Result r) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot create " + dir, e);
        }
        AtomicFiles.writeString(dir.resolve(CSV), csv(r));
        AtomicFiles.writeString(dir.resolve(MD), markdown(r));
        Chart.writePng(chart(r), dir.resolve(PNG));
    }

    static String csv(Ablation.Result r) {
        CSVFormat format = CSVFormat.DEFAULT.builder().setRecordSeparator('\n')
                .setHeader("variant", "kind", "blocks", "dims", "task", "repeat", "auroc", "score", "best_epoch",
                        "seconds").get();
        StringBuilder sb = new StringBuilder();
        try (CSVPrinter p = new CSVPrinter(sb, format)) {
            for (Ablation.Row row : r.rows()) {
                for (Task t : r.config().tasks()) {
                    List<TaskResult> rs = row.results().get(t);
                    for (int i = 0; i < rs.size(); i++) {
                        TaskResult tr = rs.get(i);
                        p.printRecord(row.variant().name(), row.variant().kind().name().toLowerCase(Locale.ROOT),
                                String.join("+", row.variant().blocks()), row.dims(), t.cliName(), i,
                                fmt("%.6f", tr.best().auroc()), fmt("%.4f", tr.score()), tr.bestEpoch(),
                                fmt("%.2f", tr.seconds()));
                    }
                }
            }
            for (Task t : r.config().tasks()) {
                TaskScore o = r.oracle().get(t);
                if (o != null) {
                    p.printRecord("oracle", "reference", "", 0, t.cliName(), 0, fmt("%.6f", o.auroc()),
                            fmt("%.4f", Math.round(o.score() * 1e4) / 1e4), 0, "0.00");
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // a StringBuilder does not throw
        }
        return sb.toString();
    }

    private static String fmt(String pattern, double v) {
        return String.format(Locale.ROOT, pattern, v);
    }

    static String markdown(Ablation.Result r) {
        List<Task> tasks = r.config().tasks();
        boolean sd = r.config().repeats() > 1;
        StringBuilder sb = new StringBuilder("# Ablation\n\n");
        List<String> blocks = new ArrayList<>();
        for (String b : r.blocks()) {
            Double w = r.config().weights().get(b);
            blocks.add(w == null ? b : String.format(Locale.ROOT, "%s (weight %s)", b, w));
        }
        sb.append(String.format(Locale.ROOT, "Probe: %s, %d repeat%s (probe seeds %d..%d), blocks: %s. "
                + "Every variant is combined with the same per-block scaling and weights; only the set of blocks "
                + "differs. AUROC of the best epoch%s. Differences under ~0.01 are noise at 10k clients.%n%n",
                r.config().probe().cliName(), r.config().repeats(), r.config().repeats() > 1 ? "s" : "",
                r.config().seed(), r.config().seed() + r.config().repeats() - 1, String.join(", ", blocks),
                sd ? ", mean ± sd over repeats" : ""));
        header(sb, "variant", "dims", tasks);
        for (Ablation.Row row : r.rows()) {
            sb.append("| ").append(row.variant().name()).append(" | ").append(row.dims()).append(" |");
            double sum = 0;
            for (Task t : tasks) {
                double a = row.auroc(t);
                sum += a;
                sb.append(sd ? String.format(Locale.ROOT, " %.4f ± %.4f |", a, row.aurocSd(t))
                        : String.format(Locale.ROOT, " %.4f |", a));
            }
            sb.append(String.format(Locale.ROOT, " %.4f |%n", sum / tasks.size()));
        }
        if (!r.oracle().isEmpty()) {
            sb.append("| oracle (ceiling) | - |");
            double sum = 0;
            for (Task t : tasks) {
                double a = r.oracle().get(t).auroc();
                sum += a;
                sb.append(String.format(Locale.ROOT, " %.4f |", a));
            }
            sb.append(String.format(Locale.ROOT, " %.4f |%n", sum / tasks.size()));
        }
        Ablation.Row all = r.row("all");
        if (r.blocks().size() > 1 && all != null) {
            String paired = sd ? " Paired by probe seed; (t …) is the paired t statistic: |t| under ~2 is noise."
                    : "";
            sb.append("\n## What each block adds\n\nAUROC of all blocks minus AUROC without the block "
                    + "(positive = the block helps).").append(paired).append("\n\n");
            header(sb, "block", null, tasks);
            for (String b : r.blocks()) {
                differenceRow(sb, b, all, withBlocks(r, minus(r.blocks(), b)), tasks);
            }
            sb.append("\n## All blocks against each block alone\n\nAUROC of all blocks minus AUROC of the block "
                    + "alone (positive = the combination beats the block).").append(paired).append("\n\n");
            header(sb, "block", null, tasks);
            for (String b : r.blocks()) {
                differenceRow(sb, b, all, withBlocks(r, List.of(b)), tasks);
            }
        }
        if (all == null && r.rows().size() > 1) {
            Ablation.Row first = r.rows().get(0);
            String paired = sd ? " Paired by probe seed; (t …) is the paired t statistic: |t| under ~2 is noise."
                    : "";
            sb.append("\n## Against ").append(first.variant().name()).append("\n\nAUROC of each variant minus AUROC of ")
                    .append(first.variant().name()).append(" (positive = the variant beats it).").append(paired)
                    .append("\n\n");
            header(sb, "variant", null, tasks);
            for (Ablation.Row row : r.rows().subList(1, r.rows().size())) {
                differenceRow(sb, row.variant().name(), row, first, tasks);
            }
        }
        sb.append("\n## Weighted scores\n\nThe organisers' score of the best epoch (AUROC for churn and conversion; "
                + "0.8·AUROC + 0.1·novelty + 0.1·diversity for propensity tasks), mean over repeats.\n\n");
        header(sb, "variant", null, tasks);
        for (Ablation.Row row : r.rows()) {
            sb.append("| ").append(row.variant().name()).append(" |");
            double sum = 0;
            for (Task t : tasks) {
                sum += row.score(t);
                sb.append(String.format(Locale.ROOT, " %.4f |", row.score(t)));
            }
            sb.append(String.format(Locale.ROOT, " %.4f |%n", sum / tasks.size()));
        }
        sb.append(String.format(Locale.ROOT, "%nFiles: %s (every repeat), %s, %s, run.json. Took %.0f s.%n", CSV,
                MD, PNG, r.seconds()));
        return sb.toString();
    }

    /** One "| name | d (t …) | … | mean |" line of a difference table; nothing when {@code b} is missing. */
    private static void differenceRow(StringBuilder sb, String name, Ablation.Row a, Ablation.Row b,
            List<Task> tasks) {
        if (b == null) {
            return;
        }
        sb.append("| ").append(name).append(" |");
        double sum = 0;
        for (Task t : tasks) {
            Ablation.Paired d = a.minus(b, t);
            sum += d.mean();
            sb.append(Double.isNaN(d.t()) ? String.format(Locale.ROOT, " %+.4f |", d.mean())
                    : String.format(Locale.ROOT, " %+.4f (t %+.1f) |", d.mean(), d.t()));
        }
        sb.append(String.format(Locale.ROOT, " %+.4f |%n", sum / tasks.size()));
    }

    private static void header(StringBuilder sb, String first, String second, List<Task> tasks) {
        sb.append("| ").append(first).append(" |");
        if (second != null) {
            sb.append(' ').append(second).append(" |");
        }
        for (Task t : tasks) {
            sb.append(' ').append(t.cliName()).append(" |");
        }
        sb.append(" mean |\n|---|");
        if (second != null) {
            sb.append("---:|");
        }
        sb.append("---:|".repeat(tasks.size())).append("---:|\n");
    }

    private static List<String> minus(List<String> all, String b) {
        List<String> out = new ArrayList<>(all);
        out.remove(b);
        return out;
    }

    /** The row whose block set equals {@code blocks} (order ignored), or null. */
    static Ablation.Row withBlocks(Ablation.Result r, List<String> blocks) {
        Set<String> want = new HashSet<>(blocks);
        for (Ablation.Row row : r.rows()) {
            if (new HashSet<>(row.variant().blocks()).equals(want)) {
                return row;
            }
        }
        return null;
    }

    static BufferedImage chart(Ablation.Result r) {
        List<Task> tasks = r.config().tasks();
        List<Ablation.Row> rows = r.rows();
        int nv = rows.size();
        int bar = 12;
        int groupW = nv * bar + 24;
        int left = 60;
        int right = 20;
        int top = 44;
        int plotH = 300;
        int legendRows = (nv + (r.oracle().isEmpty() ? 0 : 1) + 2) / 3;
        int bottom = 40 + 18 * legendRows;
        int w = Math.max(560, left + right + groupW * tasks.size());
        int h = top + plotH + bottom;
        double lo = 1.0;
        double hi = 0.5;
        for (Ablation.Row row : rows) {
            for (Task t : tasks) {
                lo = Math.min(lo, row.auroc(t));
                hi = Math.max(hi, row.auroc(t));
            }
        }
        for (TaskScore o : r.oracle().values()) {
            hi = Math.max(hi, o.auroc());
        }
        lo = Math.max(0, Math.floor((lo - 0.05) * 10) / 10);
        hi = Math.min(1, Math.ceil((hi + 0.02) * 10) / 10);
        if (hi <= lo) {
            hi = lo + 0.1;
        }
        Chart.Canvas canvas = Chart.canvas(w, h, "Ablation: AUROC per task and variant ("
                + r.config().probe().cliName() + " probe, " + r.config().repeats() + " repeat"
                + (r.config().repeats() > 1 ? "s" : "") + ")", left);
        try (canvas) {
            Graphics2D g = canvas.g();
            int y0 = top + plotH;
            for (int k = 0; k <= 10; k++) {
                double v = lo + (hi - lo) * k / 10;
                int y = y0 - (int) Math.round(plotH * (v - lo) / (hi - lo));
                g.setColor(new Color(0xdddddd));
                g.drawLine(left, y, w - right, y);
                g.setColor(Color.DARK_GRAY);
                g.drawString(String.format(Locale.ROOT, "%.2f", v), 18, y + 4);
            }
            for (int ti = 0; ti < tasks.size(); ti++) {
                Task t = tasks.get(ti);
                int gx = left + ti * groupW + 12;
                for (int vi = 0; vi < nv; vi++) {
                    double a = rows.get(vi).auroc(t);
                    int bh = (int) Math.round(plotH * (Math.max(lo, a) - lo) / (hi - lo));
                    g.setColor(PALETTE[vi % PALETTE.length]);
                    g.fillRect(gx + vi * bar, y0 - bh, bar - 2, bh);
                }
                TaskScore o = r.oracle().get(t);
                if (o != null) {
                    int y = y0 - (int) Math.round(plotH * (o.auroc() - lo) / (hi - lo));
                    g.setColor(Color.BLACK);
                    g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10,
                            new float[] {5, 4}, 0));
                    g.drawLine(gx - 4, y, gx + nv * bar + 2, y);
                    g.setStroke(new BasicStroke(1));
                }
                g.setColor(Color.BLACK);
                g.drawString(t.cliName(), gx, y0 + 16);
            }
            g.drawLine(left, y0, w - right, y0);
            int ly = y0 + 34;
            int colW = (w - left) / 3;
            for (int vi = 0; vi < nv; vi++) {
                int lx = left + (vi % 3) * colW;
                int yy = ly + (vi / 3) * 18;
                g.setColor(PALETTE[vi % PALETTE.length]);
                g.fillRect(lx, yy - 10, 12, 12);
                g.setColor(Color.BLACK);
                g.drawString(rows.get(vi).variant().name(), lx + 18, yy);
            }
            if (!r.oracle().isEmpty()) {
                int lx = left + (nv % 3) * colW;
                int yy = ly + (nv / 3) * 18;
                g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10,
                        new float[] {5, 4}, 0));
                g.drawLine(lx, yy - 4, lx + 12, yy - 4);
                g.setStroke(new BasicStroke(1));
                g.drawString("oracle (ceiling)", lx + 18, yy);
            }
        }
        return canvas.image();
    }
}
