package org.longnet.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** A log-log line chart written as PNG (atomically), like the paper's runtime figure. */
public final class LineChart {
    public record Series(String name, double[] x, double[] y) {
    }

    private static final Color[] COLORS = {new Color(52, 101, 164), new Color(204, 0, 0), new Color(78, 154, 6),
            new Color(245, 121, 0), new Color(117, 80, 123)};

    private LineChart() {
    }

    public static void write(Path file, String title, String xLabel, String yLabel, List<Series> series) throws IOException {
        int width = 900, height = 560, left = 90, right = 220, top = 50, bottom = 60;
        double minX = Double.MAX_VALUE, maxX = 0, minY = Double.MAX_VALUE, maxY = 0;
        for (Series s : series) {
            for (int i = 0; i < s.x.length; i++) {
                minX = Math.min(minX, s.x[i]);
                maxX = Math.max(maxX, s.x[i]);
                minY = Math.min(minY, s.y[i]);
                maxY = Math.max(maxY, s.y[i]);
            }
        }
        double lx0 = Math.floor(Math.log10(minX)), lx1 = Math.ceil(Math.log10(maxX) + 1e-9);
        double ly0 = Math.floor(Math.log10(minY)), ly1 = Math.ceil(Math.log10(maxY) + 1e-9);
        lx1 = Math.max(lx1, lx0 + 1);
        ly1 = Math.max(ly1, ly0 + 1);
        Canvas canvas = new Canvas(width, height, title);
        Graphics2D g = canvas.g;
        int pw = width - left - right, ph = height - top - bottom;
        for (double e = lx0; e <= lx1; e++) {
            int px = left + (int) (pw * (e - lx0) / (lx1 - lx0));
            g.setColor(new Color(225, 225, 225));
            g.drawLine(px, top, px, top + ph);
            g.setColor(Color.DARK_GRAY);
            g.drawString(String.format("%.0f", Math.pow(10, e)), px - 14, top + ph + 16);
        }
        for (double e = ly0; e <= ly1; e++) {
            int py = top + ph - (int) (ph * (e - ly0) / (ly1 - ly0));
            g.setColor(new Color(225, 225, 225));
            g.drawLine(left, py, left + pw, py);
            g.setColor(Color.DARK_GRAY);
            g.drawString(String.format("%.3g", Math.pow(10, e)), 8, py + 4);
        }
        g.setColor(Color.BLACK);
        g.drawRect(left, top, pw, ph);
        g.drawString(xLabel, left + pw / 2 - 40, height - 16);
        g.drawString(yLabel, 8, top - 8);
        for (int si = 0; si < series.size(); si++) {
            Series s = series.get(si);
            g.setColor(COLORS[si % COLORS.length]);
            g.setStroke(new BasicStroke(2f));
            int prevX = -1, prevY = -1;
            for (int i = 0; i < s.x.length; i++) {
                int px = left + (int) (pw * (Math.log10(s.x[i]) - lx0) / (lx1 - lx0));
                int py = top + ph - (int) (ph * (Math.log10(s.y[i]) - ly0) / (ly1 - ly0));
                g.fillOval(px - 3, py - 3, 7, 7);
                if (prevX >= 0) {
                    g.drawLine(prevX, prevY, px, py);
                }
                prevX = px;
                prevY = py;
            }
            g.fillRect(left + pw + 16, top + 10 + si * 22, 14, 4);
            g.setColor(Color.BLACK);
            g.drawString(s.name, left + pw + 36, top + 16 + si * 22);
        }
        canvas.save(file);
    }
}
