package dev.ubm.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartTest {
    @Test
    void writesAPngOfTheCanvasWithAWhiteBackgroundAndTheMarksDrawn(@TempDir Path dir) throws IOException {
        Chart.Canvas canvas = Chart.canvas(200, 100, "title", 10);
        try (canvas) {
            canvas.g().setColor(Color.RED);
            canvas.g().fillRect(150, 50, 20, 20);
        }
        Path png = dir.resolve("chart.png");
        Chart.writePng(canvas.image(), png);

        BufferedImage back = ImageIO.read(png.toFile());
        assertEquals(200, back.getWidth());
        assertEquals(100, back.getHeight());
        assertEquals(Color.WHITE.getRGB(), back.getRGB(199, 0));
        assertEquals(Color.RED.getRGB(), back.getRGB(160, 60));
        assertNotEquals(Color.WHITE.getRGB(), darkestInTitleBand(back), "the title is drawn");
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(png), files.toList(), "no temp file is left");
        }
    }

    private static int darkestInTitleBand(BufferedImage img) {
        int darkest = Color.WHITE.getRGB();
        int best = 255 * 3;
        for (int x = 0; x < 60; x++) {
            for (int y = 8; y < 26; y++) {
                Color c = new Color(img.getRGB(x, y));
                int sum = c.getRed() + c.getGreen() + c.getBlue();
                if (sum < best) {
                    best = sum;
                    darkest = img.getRGB(x, y);
                }
            }
        }
        return darkest;
    }
}
