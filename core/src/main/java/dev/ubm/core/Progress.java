package dev.ubm.core;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A progress bar on stderr with rate and ETA, for anything that may take more than a few seconds. It prints at
 * most a few times a second; on a non-terminal (CI logs) it prints a plain line every ~10 seconds instead.
 * Thread-safe: several workers may call {@link #add}.
 */
public final class Progress implements AutoCloseable {
    private static volatile boolean enabled = !"false".equalsIgnoreCase(System.getProperty("ubm.progress", "true"));
    private final String label;
    private final String unit;
    private final long total;
    private final long startNanos = System.nanoTime();
    private final PrintStream out;
    private final boolean tty = System.console() != null;
    private long done;
    private long lastPrintNanos;
    private String extra = "";

    /** @param total expected units of work, or a value ≤ 0 when unknown (then no ETA is shown). */
    public Progress(String label, long total, String unit) {
        this.label = label;
        this.total = total;
        this.unit = unit;
        this.out = System.err;
        this.lastPrintNanos = startNanos;
    }

    /** Turns all progress output on or off (tests turn it off). */
    public static void setEnabled(boolean on) {
        enabled = on;
    }

    public synchronized void add(long n) {
        done += n;
        maybePrint(false);
    }

    /** A short status shown after the rate, e.g. the current loss. */
    public synchronized void status(String s) {
        extra = s;
    }

    public synchronized long done() {
        return done;
    }

    public double elapsedSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private void maybePrint(boolean last) {
        if (!enabled) {
            return;
        }
        long now = System.nanoTime();
        long gap = tty ? 250_000_000L : 10_000_000_000L;
        if (!last && now - lastPrintNanos < gap) {
            return;
        }
        lastPrintNanos = now;
        double secs = Math.max(1e-9, (now - startNanos) / 1e9);
        double rate = done / secs;
        StringBuilder sb = new StringBuilder();
        sb.append(label).append(' ');
        if (total > 0) {
            double frac = Math.min(1.0, done / (double) total);
            int width = 24;
            int filled = (int) Math.round(frac * width);
            sb.append('[').append("#".repeat(filled)).append(".".repeat(width - filled)).append("] ");
            sb.append(String.format(Locale.ROOT, "%5.1f%% ", 100 * frac));
        }
        sb.append(human(done)).append(total > 0 ? "/" + human(total) : "").append(' ').append(unit);
        sb.append(String.format(Locale.ROOT, "  %s %s/s", human((long) rate), unit));
        sb.append("  elapsed ").append(clock(secs));
        if (total > 0 && !last && rate > 0) {
            sb.append("  ETA ").append(clock((total - done) / rate));
        }
        if (!extra.isEmpty()) {
            sb.append("  ").append(extra);
        }
        if (tty) {
            out.print("\r" + sb + "\u001b[K" + (last ? "\n" : ""));
        } else {
            out.println(sb);
        }
        out.flush();
    }

    @Override
    public synchronized void close() {
        maybePrint(true);
    }

    static String human(long n) {
        if (n < 10_000) {
            return Long.toString(n);
        }
        if (n < 10_000_000) {
            return String.format(Locale.ROOT, "%.1fk", n / 1e3);
        }
        if (n < 10_000_000_000L) {
            return String.format(Locale.ROOT, "%.1fM", n / 1e6);
        }
        return String.format(Locale.ROOT, "%.1fG", n / 1e9);
    }

    /** A duration as m:ss, or h:mm:ss from an hour on. */
    public static String clock(double secs) {
        long s = Math.round(secs);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
