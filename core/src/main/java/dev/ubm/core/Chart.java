package dev.ubm.core;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

import javax.imageio.ImageIO;

/**
 * The one place that sets up a PNG chart (headless Java2D, antialiased, white background, bold title) and writes it
 * atomically, so the loss curves, probe reports and ablation charts look alike and each draws only its own marks.
 */
public final class Chart {
    private Chart() {
    }

    /**
     * A blank canvas with the title drawn at ({@code titleX}, 22); close it (try-with-resources) to release the
     * graphics context, then read {@link #image()}.
     */
    public static Canvas canvas(int width, int height, String title, int titleX) {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g.setColor(Color.BLACK);
        g.drawString(title, titleX, 22);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        return new Canvas(img, g);
    }

    /** Writes {@code img} as a PNG to {@code file} (temp file, then rename). */
    public static void writePng(BufferedImage img, Path file) {
        AtomicFiles.writePath(file, tmp -> {
            if (!ImageIO.write(img, "png", tmp.toFile())) {
                throw new IOException("no PNG writer");
            }
        });
    }

    /** An image and its graphics context; closing disposes the context. */
    public record Canvas(BufferedImage image, Graphics2D g) implements AutoCloseable {
        @Override
        public void close() {
            g.dispose();
        }
    }
}
