package dev.ubm.nn;

import dev.ubm.core.AtomicFiles;
import dev.ubm.core.Chart;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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

    private static final String[] COLUMNS = {"epoch", "step", "tokens", "lr"};
    /** RFC 4180 with Unix line ends; an empty field is a missing value (NaN). */
    private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder().setRecordSeparator('\n').get();

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
        List<String> header = new ArrayList<>(List.of(COLUMNS));
        header.addAll(series);
        StringBuilder sb = new StringBuilder();
        try (CSVPrinter p = new CSVPrinter(sb, FORMAT.builder().setHeader(header.toArray(String[]::new)).get())) {
            for (Row r : rows) {
                List<Object> rec = new ArrayList<>(List.of(r.epoch(), r.step(), r.tokens(),
                        String.format(Locale.ROOT, "%.6g", r.lr())));
                for (double v : r.values()) {
                    rec.add(Double.isNaN(v) ? null : String.format(Locale.ROOT, "%.6f", v));
                }
                p.printRecord(rec);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringBuilder does not throw
        }
        AtomicFiles.writeString(file, sb.toString());
    }

    /** Reads a CSV written by {@link #writeCsv}; the header names the series. */
    public static LossCurve readCsv(Path file) {
        CSVFormat format = FORMAT.builder().setHeader().setSkipHeaderRecord(true).get();
        try (CSVParser parser = CSVParser.parse(file, StandardCharsets.UTF_8, format)) {
            List<String> head = parser.getHeaderNames();
            if (head.size() < COLUMNS.length || !head.subList(0, COLUMNS.length).equals(List.of(COLUMNS))) {
                throw new IllegalArgumentException("header " + head + " does not start with " + List.of(COLUMNS));
            }
            List<String> names = head.subList(COLUMNS.length, head.size());
            LossCurve c = new LossCurve(names);
            for (CSVRecord f : parser) {
                double[] v = new double[names.size()];
                for (int i = 0; i < v.length; i++) {
                    String x = f.get(COLUMNS.length + i);
                    v[i] = x.isEmpty() ? Double.NaN : Double.parseDouble(x);
                }
                c.add(new Row(Integer.parseInt(f.get(0)), Long.parseLong(f.get(1)), Long.parseLong(f.get(2)),
                        Float.parseFloat(f.get(3)), v));
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
