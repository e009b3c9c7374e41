package org.longnet.cli;

import org.longnet.io.AtomicFiles;
import org.longnet.plot.LineChart;
import org.longnet.train.PassKeyAccuracy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What {@code longnet eval} writes: {@code eval.csv} and {@code eval.png} (bits per byte against context length,
 * one line per model, like the paper's Table 2) and {@code passkey-eval.csv} and {@code passkey-eval.png}
 * (retrieval accuracy against distance, one line per model and sequence length). The CSVs are the record; a
 * PNG is drawn from its CSV, so a runtime without java.desktop (the GPU machine's) writes the CSV and the
 * chart is drawn elsewhere with {@code eval --replot}.
 */
final class EvalFiles {
    static final String TEXT_CSV = "eval.csv", PASSKEY_CSV = "passkey-eval.csv";
    static final String TEXT_HEADER = "model,trained_length,length,bits_per_byte,perplexity,windows,reading";
    static final String PASSKEY_HEADER = "model,trained_length,length,distance_from,distance_to,retrieved,trials,accuracy";

    /**
     * A text model's loss over {@code windows} windows of {@code length} bytes, read {@code reading}: "full" (whole windows of
     * the length) or "blockwise" (a length beyond the trained one, through windows of the trained length).
     */
    record TextRow(String model, int trainedLength, int length, double bitsPerByte, double perplexity, int windows, String reading) {
    }

    /** A pass-key model's accuracy in one bin of distances, on sequences of {@code length} tokens. */
    record PassKeyRow(String model, int trainedLength, int length, PassKeyAccuracy.Point point) {
    }

    private EvalFiles() {
    }

    /** Writes eval.csv (and eval.png where this runtime can draw) into {@code dir}; returns the files written. */
    static List<Path> writeText(Path dir, List<TextRow> rows) throws IOException {
        StringBuilder csv = new StringBuilder(TEXT_HEADER).append('\n');
        for (TextRow r : rows) {
            csv.append(String.format(java.util.Locale.ROOT, "%s,%d,%d,%.6f,%.6f,%d,%s%n", quoted(r.model()), r.trainedLength(), r.length(),
                    r.bitsPerByte(), r.perplexity(), r.windows(), r.reading()));
        }
        return writeAndDraw(dir.resolve(TEXT_CSV), csv.toString());
    }

    /** Writes passkey-eval.csv (and passkey-eval.png where this runtime can draw) into {@code dir}; returns the files written. */
    static List<Path> writePassKey(Path dir, List<PassKeyRow> rows) throws IOException {
        StringBuilder csv = new StringBuilder(PASSKEY_HEADER).append('\n');
        for (PassKeyRow r : rows) {
            PassKeyAccuracy.Point p = r.point();
            csv.append(String.format(java.util.Locale.ROOT, "%s,%d,%d,%d,%d,%d,%d,%.6f%n", quoted(r.model()), r.trainedLength(), r.length(),
                    p.bin().from(), p.bin().to(), p.retrieved(), p.trials(), p.accuracy()));
        }
        return writeAndDraw(dir.resolve(PASSKEY_CSV), csv.toString());
    }

    private static List<Path> writeAndDraw(Path csvFile, String csv) throws IOException {
        Files.createDirectories(csvFile.toAbsolutePath().getParent());
        byte[] bytes = csv.getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(csvFile, c -> c.write(ByteBuffer.wrap(bytes)));
        List<Path> written = new ArrayList<>(List.of(csvFile));
        try {
            written.add(draw(csvFile));
        } catch (LinkageError e) {
            // no java.desktop in this runtime: the CSV is the record, drawn elsewhere with --replot
        }
        return written;
    }

    /** The chart of an eval CSV (either kind, told by its header), as a PNG beside it; returns the PNG. */
    static Path draw(Path csvFile) throws IOException {
        List<String> lines = Files.readAllLines(csvFile, StandardCharsets.UTF_8);
        String header = lines.isEmpty() ? "" : lines.getFirst();
        boolean text = header.equals(TEXT_HEADER);
        if (!text && !header.equals(PASSKEY_HEADER)) {
            throw new IllegalArgumentException("--replot " + csvFile + ": the first line is '" + header + "', not an eval CSV's header ("
                    + TEXT_HEADER + " or " + PASSKEY_HEADER + ")");
        }
        List<String[]> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = cells(line);
            if (cells.length != header.split(",").length) {
                throw new IllegalArgumentException("--replot " + csvFile + ": the row '" + line + "' has " + cells.length + " cells, the header "
                        + header.split(",").length);
            }
            rows.add(cells);
        }
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("--replot " + csvFile + " has no rows after its header");
        }
        Path png = csvFile.resolveSibling(csvFile.getFileName().toString().replaceFirst("\\.csv$", "") + ".png");
        boolean severalModels = rows.stream().map(r -> r[0]).distinct().count() > 1;
        if (text) {
            Set<String> blockwise = rows.stream().filter(r -> r[6].equals("blockwise")).map(r -> r[0]).collect(Collectors.toSet());
            List<LineChart.Series> series = series(rows, r -> "trained at " + lengthName(r[1]) + (blockwise.contains(r[0]) ? ", blockwise beyond"
                    : "") + (sameTrainedLength(rows) ? " (" + r[0] + ")" : ""), 2, 3, 1);
            LineChart.writeLog2X(png, "Bits per byte by context length", "context length (bytes)", "bits per byte", series);
        } else {
            List<LineChart.Series> series = new ArrayList<>(series(rows, r -> lengthName(r[2]) + "-token sequences" + (severalModels ? ", " + r[0] : ""),
                    4, 7, 100));
            double lo = rows.stream().mapToDouble(r -> Double.parseDouble(r[4])).min().orElseThrow();
            double hi = rows.stream().mapToDouble(r -> Double.parseDouble(r[4])).max().orElseThrow();
            series.add(new LineChart.Series(String.format("%.0f%% bar", 100 * PassKeyAccuracy.BAR), new double[] {lo, hi},
                    new double[] {100 * PassKeyAccuracy.BAR, 100 * PassKeyAccuracy.BAR}));
            LineChart.writeLog2X(png, "Pass-key retrieval", "distance from key to question (tokens; octaves up to)", "accuracy (%)", series);
        }
        return png;
    }

    /** One series per label, x from column {@code xColumn}, y from {@code yColumn} times {@code yScale}, in the rows' order. */
    private static List<LineChart.Series> series(List<String[]> rows, Function<String[], String> label, int xColumn, int yColumn, double yScale) {
        Map<String, List<String[]>> byLabel = new LinkedHashMap<>();
        for (String[] r : rows) {
            byLabel.computeIfAbsent(label.apply(r), k -> new ArrayList<>()).add(r);
        }
        List<LineChart.Series> out = new ArrayList<>();
        byLabel.forEach((name, rs) -> out.add(new LineChart.Series(name, rs.stream().mapToDouble(r -> Double.parseDouble(r[xColumn])).toArray(),
                rs.stream().mapToDouble(r -> yScale * Double.parseDouble(r[yColumn])).toArray())));
        return out;
    }

    /** Whether two models share a trained length, so their lines need the model's name too. */
    private static boolean sameTrainedLength(List<String[]> rows) {
        Map<String, String> modelOf = new LinkedHashMap<>();
        for (String[] r : rows) {
            if (!modelOf.computeIfAbsent(r[1], k -> r[0]).equals(r[0])) {
                return true;
            }
        }
        return false;
    }

    /** 8192 as "8K", 131072 as "128K", others as they are. */
    static String lengthName(String length) {
        long n = Long.parseLong(length);
        return n >= 1024 && n % 1024 == 0 ? n / 1024 + "K" : length;
    }

    /** A model's name as one CSV cell: quoted where it holds a comma or a quote. */
    private static String quoted(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    /** The cells of one CSV line, with quoted cells (as {@link #quoted} writes them) unquoted. */
    private static String[] cells(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean inQuotes = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (inQuotes && c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                cell.append('"');
                i++;
            } else if (c == '"') {
                inQuotes = !inQuotes;
            } else if (c == ',' && !inQuotes) {
                out.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        out.add(cell.toString());
        return out.toArray(String[]::new);
    }
}
