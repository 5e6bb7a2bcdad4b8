package dev.ubm.nn;

import dev.ubm.core.AtomicFiles;
import dev.ubm.core.Chart;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;


/**
 * Loss curves of a training run: one row per logged step with the epoch, step, tokens seen, learning rate and one
 * value per named series (total and each objective). Written as CSV and as a PNG drawn with Java2D (headless),
 * and read back from CSV so a resumed run continues its curve.
 */
public final class LossCurve {
    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
        new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f)};

    /** One logged point. */
    public record Row(int epoch, long step, long tokens, float lr, double[] values) {
    }

    private final List<String> series;
    private final List<Row> rows = new ArrayList<>();

    public LossCurve(List<String> series) {
        this.series = List.copyOf(series);
    }

    public List<String> series() {
        return series;
    }

    public List<Row> rows() {
        return List.copyOf(rows);
    }

    public void add(Row r) {
        if (r.values().length != series.size()) {
            throw new IllegalArgumentException(r.values().length + " values for " + series.size() + " series");
        }
        rows.add(r);
    }

    /** Drops rows after {@code epoch} (a resumed run replays from the end of its checkpoint epoch). */
    public void truncateAfterEpoch(int epoch) {
        rows.removeIf(r -> r.epoch() > epoch);
    }

    public void writeCsv(Path file) {
        StringBuilder sb = new StringBuilder("epoch,step,tokens,lr");
        for (String s : series) {
            sb.append(',').append(s);
        }
        sb.append('\n');
        for (Row r : rows) {
            sb.append(r.epoch()).append(',').append(r.step()).append(',').append(r.tokens()).append(',')
                    .append(String.format(Locale.ROOT, "%.6g", r.lr()));
            for (double v : r.values()) {
                sb.append(',').append(Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6f", v));
            }
            sb.append('\n');
        }
        AtomicFiles.writeString(file, sb.toString());
    }

    /** Reads a CSV written by {@link #writeCsv}; the header names the series. */
    public static LossCurve readCsv(Path file) {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String[] head = r.readLine().split(",", -1);
            List<String> names = List.of(head).subList(4, head.length);
            LossCurve c = new LossCurve(names);
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                String[] f = line.split(",", -1);
                double[] v = new double[names.size()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = f[4 + i].isEmpty() ? Double.NaN : Double.parseDouble(f[4 + i]);
                }
                c.add(new Row(Integer.parseInt(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]),
                        Float.parseFloat(f[3]), v));
            }
            return c;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("malformed loss curve " + file + ": " + e.getMessage(), e);
        }
    }

    /** Draws every series against the step (a light moving average over noisy steps) into a PNG. */
    public void writePng(Path file, String title) {
        int w = 900;
        int h = 520;
        int left = 70;
        int right = 190;
        int top = 40;
        int bottom = 50;
        Chart.Canvas canvas = Chart.canvas(w, h, title, left);
        try (canvas) {
            Graphics2D g = canvas.g();
            long maxStep = 1;
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            List<double[]> smooth = new ArrayList<>();
            for (int s = 0; s < series.size(); s++) {
                double[] sm = smoothed(s);
                smooth.add(sm);
                for (double v : sm) {
                    if (!Double.isNaN(v)) {
                        lo = Math.min(lo, v);
                        hi = Math.max(hi, v);
                    }
                }
            }
            for (Row r : rows) {
                maxStep = Math.max(maxStep, r.step());
            }
            if (!(lo <= hi)) {
                lo = 0;
                hi = 1;
            }
            if (hi - lo < 1e-9) {
                hi = lo + 1;
            }
            int pw = w - left - right;
            int ph = h - top - bottom;
            g.setColor(new Color(0xdddddd));
            for (int i = 0; i <= 5; i++) {
                int y = top + ph * i / 5;
                g.drawLine(left, y, left + pw, y);
            }
            g.setColor(Color.BLACK);
            g.drawRect(left, top, pw, ph);
            for (int i = 0; i <= 5; i++) {
                double v = hi - (hi - lo) * i / 5;
                g.drawString(String.format(Locale.ROOT, "%.3g", v), 8, top + ph * i / 5 + 4);
                long st = maxStep * i / 5;
                g.drawString(Long.toString(st), left + pw * i / 5 - 10, top + ph + 18);
            }
            g.drawString("step", left + pw / 2 - 10, h - 12);
            g.setStroke(new BasicStroke(1.6f));
            for (int s = 0; s < series.size(); s++) {
                g.setColor(PALETTE[s % PALETTE.length]);
                double[] sm = smooth.get(s);
                int px = -1;
                int py = -1;
                for (int i = 0; i < rows.size(); i++) {
                    if (Double.isNaN(sm[i])) {
                        continue;
                    }
                    int x = left + (int) Math.round(pw * rows.get(i).step() / (double) maxStep);
                    int y = top + (int) Math.round(ph * (hi - sm[i]) / (hi - lo));
                    if (px >= 0) {
                        g.drawLine(px, py, x, y);
                    }
                    px = x;
                    py = y;
                }
                g.fillRect(w - right + 15, top + 10 + 20 * s - 5, 18, 4);
                g.setColor(Color.BLACK);
                g.drawString(series.get(s), w - right + 40, top + 10 + 20 * s);
            }
        }
        Chart.writePng(canvas.image(), file);
    }

    private double[] smoothed(int s) {
        double[] out = new double[rows.size()];
        int win = Math.max(1, rows.size() / 60);
        double sum = 0;
        int n = 0;
        java.util.ArrayDeque<Double> q = new java.util.ArrayDeque<>();
        for (int i = 0; i < rows.size(); i++) {
            double v = rows.get(i).values()[s];
            if (!Double.isNaN(v)) {
                q.addLast(v);
                sum += v;
                n++;
                if (q.size() > win) {
                    sum -= q.removeFirst();
                    n--;
                }
            }
            out[i] = n == 0 || Double.isNaN(v) ? Double.NaN : sum / n;
        }
        return out;
    }
}
