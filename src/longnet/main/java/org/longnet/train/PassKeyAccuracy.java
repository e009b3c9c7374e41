package org.longnet.train;

import org.longnet.attention.DilatedPair;
import org.longnet.data.PassKeyTask;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.IntArray;
import org.longnet.io.AtomicFiles;
import org.longnet.model.LongNetModel;
import org.longnet.model.ModelConfig;
import org.longnet.plot.LineChart;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.StringJoiner;

/**
 * Pass-key retrieval accuracy against distance, in octaves: for each bin of distances (d/2, d],
 * fresh sequences (keys and filler the model never saw) with the key hidden at a distance drawn
 * uniformly from the bin. A trial counts as retrieved when the most likely next byte is the
 * right digit at every one of the answer's positions (what greedy decoding would write).
 * <p>
 * Why a bin and not the exact power of two: the answer ends the sequence, so in a sequence whose
 * length is a multiple of the segment lengths a key exactly 2^k (>= 2,048) before it always has its
 * sentence cut by a segment boundary of every pair, where the dense pairs cannot read it whole.
 * That is a real weakness of fixed segments, but a test made only of it measures one position in
 * 2,048 rather than retrieval over the distance (benchmarks/RESULTS.md shows both).
 */
public final class PassKeyAccuracy {
    /** Distances from {@code from} to {@code to}, both included. */
    public record Bin(int from, int to) {
        public int draw(SplittableRandom random) {
            return random.nextInt(from, to + 1);
        }
    }

    /** Retrieved answers out of trials in one bin of distances. */
    public record Point(Bin bin, int retrieved, int trials) {
        public double accuracy() {
            return (double) retrieved / trials;
        }

        /**
         * The 95% Wilson score interval {low, high} of the rate behind {@code retrieved} of {@code trials}: a test of 100 keys
         * that retrieves 90 leaves the true rate anywhere from 83% to 94%, which a reader of one number would not guess. Wilson's,
         * not the normal approximation, because rates near 100% are the usual case here and its interval stays inside [0, 1].
         */
        public double[] interval95() {
            double z = 1.959963984540054, n = trials, p = accuracy(), z2 = z * z;
            double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
            double half = z / (1 + z2 / n) * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n));
            // At none or all retrieved a bound is exactly 0 or 1; rounding would leave it a hair inside, off the observed rate.
            return new double[] {retrieved == 0 ? 0 : centre - half, retrieved == trials ? 1 : centre + half};
        }
    }

    /** The accuracy the issue asks for at every distance. */
    public static final double BAR = 0.9;

    private PassKeyAccuracy() {
    }

    /**
     * Octaves (d/2, d] for d = 128, 256, ... below the longest distance that fits, then one bin up
     * to the longest itself; the first starts at the shortest distance.
     */
    public static List<Bin> bins(int seqLen) {
        List<Bin> out = new ArrayList<>();
        int max = PassKeyTask.maxDistance(seqLen), from = PassKeyTask.minDistance();
        for (int d = Integer.highestOneBit(Math.max(1, from - 1)) * 2; d < max; d *= 2) {
            out.add(new Bin(from, d));
            from = d + 1;
        }
        out.add(new Bin(from, max));
        return out;
    }

    /** How many sequences to test in bin {@code index} of {@code count}. */
    @FunctionalInterface
    public interface Trials {
        int of(int index, int count);
    }

    /** {@code far} sequences in the last two bins, where a long retrieval is decided, and {@code near} in the others. */
    public static Trials trials(int far, int near) {
        if (far < 1 || near < 1) {
            throw new IllegalArgumentException("pass-key trials per octave must be >= 1, were " + far + " (far) and " + near + " (near)");
        }
        return (index, count) -> index >= count - 2 ? far : near;
    }

    /** Accuracy in each bin over {@code trials} sequences of {@code seqLen}, one line of progress per bin. */
    public static List<Point> measure(LongNetModel model, int seqLen, List<Bin> bins, int trials, long seed, PrintStream console) {
        return measure(model, seqLen, bins, trials(trials, trials), seed, console);
    }

    /** Accuracy in each bin over {@code trials.of(bin)} sequences of {@code seqLen}, one line of progress per bin. */
    public static List<Point> measure(LongNetModel model, int seqLen, List<Bin> bins, Trials perBin, long seed, PrintStream console) {
        IntArray inputs = new IntArray(seqLen), targets = new IntArray(seqLen);
        ModelConfig config = model.weights().config();
        int last = config.segmentLengths().length - 1;
        DilatedPair longest = new DilatedPair(config.segmentLengths()[last], config.dilationRates()[last]);
        List<Point> points = new ArrayList<>();
        for (int b = 0; b < bins.size(); b++) {
            Bin bin = bins.get(b);
            int trials = perBin.of(b, bins.size());
            SplittableRandom random = new SplittableRandom(seed * 0x2545F4914F6CDD1DL + bin.to());
            int retrieved = 0, firstRow = 0;
            int[] wrong = new int[PassKeyTask.DIGITS];
            for (int t = 0; t < trials; t++) {
                PassKeyTask.Example e = PassKeyTask.example(seqLen, bin.draw(random), random);
                firstRow = e.answerStart() - 1;
                PassKeyTask.fill(e, inputs, targets, 0);
                int mask = wrongDigits(model.logits(inputs, 1, seqLen), e, config.vocab());
                retrieved += mask == 0 ? 1 : 0;
                for (int i = 0; i < wrong.length; i++) {
                    wrong[i] += mask >> i & 1;
                }
            }
            Point point = new Point(bin, retrieved, trials);
            points.add(point);
            double[] interval = point.interval95();
            console.printf("  distance %,7d to %,7d: %3d of %d retrieved (%.0f%%; 95%% interval %.0f-%.0f%%)%n", bin.from(), bin.to(), retrieved,
                    trials, 100 * point.accuracy(), 100 * interval[0], 100 * interval[1]);
            if (retrieved < trials) {
                console.println("    " + wrongDigitsLine(wrong, firstRow) + "; " + readingHeads(longest, seqLen, config.heads(), firstRow, wrong.length));
            }
        }
        return points;
    }

    /**
     * Which of the answer's digits were wrong, and on which rows they are predicted (from {@code firstRow}, the row before
     * the answer's first digit; test sequences all ask at the same place). A pair of dilation r gives a row to
     * one head in r (spec §1.2), so with a test that asks at the very end the sequence's length decides which head reads
     * which digit's row; misses that gather on one digit point at one head.
     */
    static String wrongDigitsLine(int[] wrong, int firstRow) {
        StringBuilder line = new StringBuilder("wrong, by answer digit (predicted at rows " + firstRow + " to " + (firstRow + wrong.length - 1) + "):");
        for (int count : wrong) {
            line.append(' ').append(count);
        }
        return line.toString();
    }

    /**
     * Which heads of {@code pair} read each of the {@code count} rows from {@code firstRow} of a sequence of {@code seqLen}:
     * head j reads the rows at offset j mod r of each segment (spec §1.2), so in the longest pair, the one that reaches the
     * far keys, a digit whose misses stand out names the head that fails to find them. Heads of one row are joined by "/".
     */
    static String readingHeads(DilatedPair pair, int seqLen, int heads, int firstRow, int count) {
        int seg = pair.effectiveLength(seqLen), r = pair.dilationRate();
        StringBuilder line = new StringBuilder("heads of the pair " + pair + " that read them:");
        for (int row = firstRow; row < firstRow + count; row++) {
            int offset = row % seg % r;
            StringJoiner readers = new StringJoiner("/", " ", "").setEmptyValue(" none");
            for (int j = 0; j < heads; j++) {
                if (j % r == offset) {
                    readers.add(Integer.toString(j));
                }
            }
            line.append(readers);
        }
        return line.toString();
    }

    /**
     * Bit i set where the arg-max next byte at the answer's position i ({@code logits} {@code [seqLen][vocab]}) is not the key's
     * digit i; 0 when the key is retrieved.
     */
    static int wrongDigits(FloatArray logits, PassKeyTask.Example e, int vocab) {
        int mask = 0;
        for (int i = 0; i < PassKeyTask.DIGITS; i++) {
            long row = e.answerStart() - 1L + i;
            int best = 0;
            for (int v = 1; v < vocab; v++) {
                if (logits.get(row * vocab + v) > logits.get(row * vocab + best)) {
                    best = v;
                }
            }
            if (best != e.key().charAt(i)) {
                mask |= 1 << i;
            }
        }
        return mask;
    }

    /**
     * passkey.csv and passkey.png (accuracy against distance, log scale) in {@code dir}; false when
     * this Java runtime cannot draw (no java.desktop module) and only the CSV was written.
     */
    public static boolean write(Path dir, List<Point> points) throws IOException {
        StringBuilder csv = new StringBuilder("distance_from,distance_to,retrieved,trials,accuracy\n");
        double[] x = new double[points.size()], y = new double[points.size()];
        for (int i = 0; i < points.size(); i++) {
            Point p = points.get(i);
            csv.append(p.bin().from()).append(',').append(p.bin().to()).append(',').append(p.retrieved()).append(',').append(p.trials()).append(',')
                    .append(p.accuracy())
                    .append('\n');
            x[i] = p.bin().to();
            y[i] = 100 * p.accuracy();
        }
        byte[] bytes = csv.toString().getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(dir.resolve("passkey.csv"), c -> c.write(ByteBuffer.wrap(bytes)));
        double[] bar = {BAR * 100, BAR * 100};
        try {
            LineChart.writeLogX(dir.resolve("passkey.png"), "Pass-key retrieval", "distance from key to question (tokens; octaves up to)",
                    "accuracy (%)", List.of(new LineChart.Series("retrieved", x, y),
                            new LineChart.Series("90% bar", new double[] {x[0], x[x.length - 1]}, bar)));
            return true;
        } catch (LinkageError e) {
            return false;
        }
    }
}
