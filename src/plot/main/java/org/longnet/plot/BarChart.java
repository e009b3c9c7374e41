package org.longnet.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** A horizontal bar chart written as PNG (atomically), for results people would rather see than read. */
public final class BarChart {
    /** One bar; bars of the same {@code unit} share a scale. */
    public record Bar(String label, double value, double limit, String unit) {
    }

    private BarChart() {
    }

    /** Each bar shows {@code value}, with its {@code limit} (NaN for none) drawn as a thin outline behind it. */
    public static void write(Path file, String title, List<Bar> bars) throws IOException {
        int width = 900, rowHeight = 34, top = 60, left = 300, right = 120;
        int height = top + rowHeight * bars.size() + 30;
        Canvas canvas = new Canvas(width, height, title);
        Graphics2D g = canvas.g;
        for (int i = 0; i < bars.size(); i++) {
            Bar b = bars.get(i);
            double max = bars.stream().filter(o -> o.unit.equals(b.unit))
                    .mapToDouble(o -> Double.isNaN(o.limit) ? o.value : Math.max(o.value, o.limit)).max().orElse(1);
            int y = top + i * rowHeight;
            int span = width - left - right;
            g.setColor(Color.BLACK);
            g.drawString(b.label, 12, y + 18);
            if (!Double.isNaN(b.limit)) {
                g.setColor(new Color(200, 200, 200));
                g.setStroke(new BasicStroke(1.5f));
                g.drawRect(left, y + 4, (int) (span * b.limit / max), rowHeight - 10);
            }
            g.setColor(new Color(52, 101, 164));
            g.fillRect(left, y + 6, Math.max(1, (int) (span * b.value / max)), rowHeight - 14);
            g.setColor(Color.BLACK);
            g.drawString(String.format("%.3g %s", b.value, b.unit), left + (int) (span * b.value / max) + 6, y + 18);
        }
        g.setColor(Color.GRAY);
        boolean limits = bars.stream().anyMatch(b -> !Double.isNaN(b.limit));
        g.drawString(limits ? "outline: the limit the bar is measured against; bars of one unit share a scale" : "bars of one unit share a scale",
                12, height - 10);
        canvas.save(file);
    }
}
