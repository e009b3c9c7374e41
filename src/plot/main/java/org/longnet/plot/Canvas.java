package org.longnet.plot;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** A white, titled image that charts draw on, saved as PNG atomically (a crash never leaves half a file). */
final class Canvas {
    final BufferedImage image;
    final Graphics2D g;

    /** The font of labels and legends. */
    private static final Font TEXT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);

    Canvas(int width, int height, String title) {
        image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString(title, 12, 26);
        g.setFont(TEXT);
    }

    /** The width in pixels of the widest of {@code texts} in the label font, so that a chart can leave room for its legend. */
    static int widestText(Iterable<String> texts) {
        Graphics2D scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
        try {
            int widest = 0;
            for (String t : texts) {
                widest = Math.max(widest, scratch.getFontMetrics(TEXT).stringWidth(t));
            }
            return widest;
        } finally {
            scratch.dispose();
        }
    }

    void save(Path file) throws IOException {
        g.dispose();
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "chart", ".png.tmp");
        ImageIO.write(image, "png", tmp.toFile());
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
