package org.longnet.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A line chart written as PNG (atomically): log-log like the paper's runtime figure, or linear like a loss curve. */
public final class LineChart {
    public record Series(String name, double[] x, double[] y) {
    }

    private static final Color[] COLORS = {new Color(52, 101, 164), new Color(204, 0, 0), new Color(78, 154, 6),
            new Color(245, 121, 0), new Color(117, 80, 123)};

    /** One axis: its range and whether it is logarithmic; maps values to [0, 1] and chooses ticks. */
    private record Axis(double lo, double hi, boolean log) {
        static Axis of(double min, double max, boolean log) {
            if (log) {
                double lo = Math.floor(Math.log10(min)), hi = Math.ceil(Math.log10(max) + 1e-9);
                return new Axis(lo, Math.max(hi, lo + 1), true);
            }
            double step = niceStep((max - min) / 6);
            double lo = Math.floor(min / step) * step, hi = Math.ceil(max / step) * step;
            return new Axis(lo, hi > lo ? hi : lo + step, false);
        }

        double fraction(double v) {
            return ((log ? Math.log10(v) : v) - lo) / (hi - lo);
        }

        List<Double> ticks() {
            List<Double> out = new ArrayList<>();
            double step = log ? 1 : niceStep((hi - lo) / 6);
            for (double e = lo; e <= hi + step / 2; e += step) {
                out.add(log ? Math.pow(10, e) : e);
            }
            return out;
        }

        private static double niceStep(double raw) {
            if (!(raw > 0)) {
                return 1;
            }
            double p = Math.pow(10, Math.floor(Math.log10(raw)));
            double f = raw / p;
            return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
        }
    }

    private LineChart() {
    }

    private static String label(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e7 ? String.format("%.0f", v) : String.format("%.3g", v);
    }

    /** Both axes logarithmic. */
    public static void write(Path file, String title, String xLabel, String yLabel, List<Series> series) throws IOException {
        write(file, title, xLabel, yLabel, series, true);
    }

    public static void write(Path file, String title, String xLabel, String yLabel, List<Series> series, boolean logLog)
            throws IOException {
        write(file, title, xLabel, yLabel, series, logLog, logLog);
    }

    /** A logarithmic x axis, a linear y axis. */
    public static void writeLogX(Path file, String title, String xLabel, String yLabel, List<Series> series) throws IOException {
        write(file, title, xLabel, yLabel, series, true, false);
    }

    private static void write(Path file, String title, String xLabel, String yLabel, List<Series> series, boolean logX, boolean logY)
            throws IOException {
        int width = 900, height = 560, left = 90, right = 220, top = 50, bottom = 60;
        double minX = Double.MAX_VALUE, maxX = -Double.MAX_VALUE, minY = Double.MAX_VALUE, maxY = -Double.MAX_VALUE;
        for (Series s : series) {
            for (int i = 0; i < s.x.length; i++) {
                minX = Math.min(minX, s.x[i]);
                maxX = Math.max(maxX, s.x[i]);
                minY = Math.min(minY, s.y[i]);
                maxY = Math.max(maxY, s.y[i]);
            }
        }
        Axis ax = Axis.of(minX, maxX, logX), ay = Axis.of(minY, maxY, logY);
        Canvas canvas = new Canvas(width, height, title);
        Graphics2D g = canvas.g;
        int pw = width - left - right, ph = height - top - bottom;
        for (double t : ax.ticks()) {
            int px = left + (int) (pw * ax.fraction(t));
            g.setColor(new Color(225, 225, 225));
            g.drawLine(px, top, px, top + ph);
            g.setColor(Color.DARK_GRAY);
            g.drawString(label(t), px - 14, top + ph + 16);
        }
        for (double t : ay.ticks()) {
            int py = top + ph - (int) (ph * ay.fraction(t));
            g.setColor(new Color(225, 225, 225));
            g.drawLine(left, py, left + pw, py);
            g.setColor(Color.DARK_GRAY);
            g.drawString(label(t), 8, py + 4);
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
            boolean dots = s.x.length <= 60;
            for (int i = 0; i < s.x.length; i++) {
                int px = left + (int) (pw * ax.fraction(s.x[i]));
                int py = top + ph - (int) (ph * ay.fraction(s.y[i]));
                if (dots) {
                    g.fillOval(px - 3, py - 3, 7, 7);
                }
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
