package org.longnet.train;

import org.longnet.io.AtomicFiles;
import org.longnet.model.LongNetModel;
import org.longnet.plot.BarChart;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Where a step's device time went ({@code train --profile}), written beside the checkpoints as profile.csv and profile.png. */
public final class ProfileReport {
    /** Tasks the chart shows, largest first; the CSV has them all. */
    static final int CHART_TASKS = 24;

    private ProfileReport() {
    }

    /**
     * Writes {@code rows} ({@link LongNetModel#profileRows}) to profile.csv and the largest tasks to profile.png in {@code dir},
     * each file atomically. Returns false where this Java runtime cannot draw (no java.desktop module) and only the CSV was
     * written.
     */
    public static boolean write(Path dir, String title, List<LongNetModel.ProfileRow> rows) throws IOException {
        StringBuilder csv = new StringBuilder("task,ms_per_step,share\n");
        List<BarChart.Bar> bars = new ArrayList<>();
        for (LongNetModel.ProfileRow row : rows) {
            csv.append(row.task()).append(',').append(row.msPerStep()).append(',').append(row.share()).append('\n');
            if (!row.task().equals("total") && bars.size() < CHART_TASKS) {
                bars.add(new BarChart.Bar(row.task(), row.msPerStep(), Double.NaN, "ms per step"));
            }
        }
        byte[] bytes = csv.toString().getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(dir.resolve("profile.csv"), c -> c.write(ByteBuffer.wrap(bytes)));
        try {
            BarChart.write(dir.resolve("profile.png"), title, bars);
            return true;
        } catch (LinkageError e) {
            return false;
        }
    }
}
