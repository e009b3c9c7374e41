package org.longnet.bench;

import org.longnet.io.AtomicFiles;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a benchmark's results go: the {@code --out} and {@code --replot} options and the files of
 * one run. Every run writes a CSV and a PNG of its own, named after the benchmark, the device, the
 * options that change what is measured and the time they were written, so no run overwrites another.
 */
final class BenchOutput {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "benchmarks/out", description = "Folder for the run's CSV and PNG "
            + "(default: ${DEFAULT-VALUE}). Each run adds files of its own, <benchmark>-<device>[-<options>]-<date>-<time>.csv and .png.")
    Path folder;

    @Option(names = "--replot", paramLabel = "CSV", description = "Measure nothing: draw the PNG of an earlier run's CSV beside it "
            + "(for runs on a machine whose Java runtime cannot draw).")
    Path replot;

    /** Draws a chart into a PNG file. */
    interface Chart {
        void draw(Path png) throws IOException;
    }

    /**
     * Writes the run's CSV as {@code <stem>-<yyyyMMdd-HHmmss>.csv} in {@code --out} (with {@code -2},
     * {@code -3}... for further runs in the same second), draws {@code chart} beside it as a PNG where
     * this Java runtime can draw, and prints where they went. A null {@code chart}: nothing to draw.
     */
    void write(String stem, String csv, Chart chart) throws IOException {
        Path file = reserve(folder, stem, LocalDateTime.now());
        AtomicFiles.write(file, channel -> channel.write(ByteBuffer.wrap(csv.getBytes(StandardCharsets.UTF_8))));
        if (chart == null) {
            System.out.println("wrote " + file);
        } else if (!canDraw()) {
            System.out.println("wrote " + file + "; no chart: this Java runtime lacks the java.desktop module (draw it elsewhere with --replot)");
        } else {
            Path png = pngBeside(file);
            chart.draw(png);
            System.out.println("wrote " + file + " and " + png);
        }
    }

    /** Creates the first free CSV name for a run of {@code stem} at {@code time}: creating it is what claims it. */
    static Path reserve(Path folder, String stem, LocalDateTime time) throws IOException {
        Files.createDirectories(folder);
        String base = stem + "-" + STAMP.format(time);
        for (int run = 1; ; run++) {
            try {
                return Files.createFile(folder.resolve(run == 1 ? base + ".csv" : base + "-" + run + ".csv"));
            } catch (FileAlreadyExistsException taken) {
                // another run wrote in the same second: try the next number
            }
        }
    }

    /** For {@code --replot}: the rows of the earlier run's CSV after its header, each split at its commas. */
    List<String[]> replotRows() throws IOException {
        List<String> lines = Files.readAllLines(replot);
        List<String[]> rows = new ArrayList<>();
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            rows.add(line.split(",", -1));
        }
        return rows;
    }

    /** For {@code --replot}: draws the chart as a PNG beside the CSV and says where. */
    void drawReplot(Chart chart) throws IOException {
        Path png = pngBeside(replot);
        chart.draw(png);
        System.out.println("wrote " + png);
    }

    /** A bad row of the {@code --replot} CSV: one line naming the file, what was expected and the row. */
    IllegalArgumentException badRow(String expected, String[] row) {
        return new IllegalArgumentException("--replot " + replot + ": expected " + expected + ", found " + row.length
                + " columns in: " + String.join(",", row));
    }

    private static Path pngBeside(Path csv) {
        return Path.of(csv.toString().replaceAll("\\.csv$", "") + ".png");
    }

    /** Drawing needs java.desktop, which the trimmed runtime sent to the GPU machine leaves out. */
    static boolean canDraw() {
        return ModuleLayer.boot().findModule("java.desktop").isPresent();
    }
}
