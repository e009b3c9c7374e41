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

    /**
     * One axis: its range and its logarithm's base (0: linear; 10: ticks at decades; 2: ticks at powers of two, for
     * lengths); maps values to [0, 1] and chooses ticks.
     */
    private record Axis(double lo, double hi, int base) {
        static Axis of(double min, double max, int base) {
            if (base > 0) {
                // decades leave room above a value on a decade; powers of two end on the longest length
                double lo = Math.floor(log(min, base) + 1e-9), hi = Math.ceil(log(max, base) + (base == 10 ? 1e-9 : -1e-9));
                return new Axis(lo, Math.max(hi, lo + 1), base);
            }
            double step = niceStep((max - min) / 6);
            double lo = Math.floor(min / step) * step, hi = Math.ceil(max / step) * step;
            return new Axis(lo, hi > lo ? hi : lo + step, 0);
        }

        private static double log(double v, int base) {
            return Math.log(v) / Math.log(base);
        }

        double fraction(double v) {
            return ((base > 0 ? log(v, base) : v) - lo) / (hi - lo);
        }

        List<Double> ticks() {
            List<Double> out = new ArrayList<>();
            double step = base > 0 ? Math.max(1, Math.ceil((hi - lo) / 12)) : niceStep((hi - lo) / 6);
            for (double e = lo; e <= hi + step / 2; e += step) {
                out.add(base > 0 ? Math.pow(base, e) : e);
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

    /** Powers of two as lengths are written: 512, 2K, 128K, 1M. */
    private static String lengthLabel(double v) {
        long n = Math.round(v);
        return n >= 1 << 20 && n % (1 << 20) == 0 ? n / (1 << 20) + "M" : n >= 1024 && n % 1024 == 0 ? n / 1024 + "K" : label(v);
    }

    /** Both axes logarithmic. */
    public static void write(Path file, String title, String xLabel, String yLabel, List<Series> series) throws IOException {
        write(file, title, xLabel, yLabel, series, true);
    }

    public static void write(Path file, String title, String xLabel, String yLabel, List<Series> series, boolean logLog)
            throws IOException {
        write(file, title, xLabel, yLabel, series, logLog ? 10 : 0, logLog ? 10 : 0);
    }

    /** A logarithmic x axis, a linear y axis. */
    public static void writeLogX(Path file, String title, String xLabel, String yLabel, List<Series> series) throws IOException {
        write(file, title, xLabel, yLabel, series, 10, 0);
    }

    /** An x axis of lengths in powers of two (ticks 2K, 4K, ..., 128K), a linear y axis: the paper's context-length plots. */
    public static void writeLog2X(Path file, String title, String xLabel, String yLabel, List<Series> series) throws IOException {
        write(file, title, xLabel, yLabel, series, 2, 0);
    }

    private static void write(Path file, String title, String xLabel, String yLabel, List<Series> series, int logX, int logY)
            throws IOException {
        // The legend sits right of the plot: its margin grows with the longest series name, the plot keeps its size.
        int left = 90, right = Math.max(220, 50 + Canvas.widestText(series.stream().map(s -> s.name).toList())), top = 50, bottom = 60;
        int width = left + 590 + right, height = 560;
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
            g.drawString(logX == 2 ? lengthLabel(t) : label(t), px - 14, top + ph + 16);
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
