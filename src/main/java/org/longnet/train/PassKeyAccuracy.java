package org.longnet.train;

import org.longnet.data.PassKeyTask;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.IntArray;
import org.longnet.io.AtomicFiles;
import org.longnet.model.LongNetModel;
import org.longnet.plot.LineChart;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Pass-key retrieval accuracy against distance: for each distance, fresh sequences (keys and
 * filler the model never saw) with the key hidden exactly that far before the answer. A trial
 * counts as retrieved when the most likely next byte is the right digit at every one of the
 * answer's positions (what greedy decoding would write).
 */
public final class PassKeyAccuracy {
    /** Retrieved answers out of trials at one distance. */
    public record Point(int distance, int retrieved, int trials) {
        public double accuracy() {
            return (double) retrieved / trials;
        }
    }

    /** The accuracy the issue asks for at every distance. */
    static final double BAR = 0.9;

    private PassKeyAccuracy() {
    }

    /** Powers of two from the shortest distance that fits up to the longest, and the longest itself. */
    public static int[] distances(int seqLen) {
        List<Integer> out = new ArrayList<>();
        int max = PassKeyTask.maxDistance(seqLen);
        for (int d = Integer.highestOneBit(Math.max(1, PassKeyTask.minDistance() - 1)) * 2; d < max; d *= 2) {
            out.add(d);
        }
        out.add(max);
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Accuracy at each distance over {@code trials} sequences of {@code seqLen}, one line of progress per distance. */
    public static List<Point> measure(LongNetModel model, int seqLen, int[] distances, int trials, long seed, PrintStream console) {
        if (trials < 1) {
            throw new IllegalArgumentException("pass-key trials must be >= 1, was " + trials);
        }
        IntArray inputs = new IntArray(seqLen), targets = new IntArray(seqLen);
        List<Point> points = new ArrayList<>();
        for (int distance : distances) {
            SplittableRandom random = new SplittableRandom(seed * 0x2545F4914F6CDD1DL + distance);
            int retrieved = 0;
            for (int t = 0; t < trials; t++) {
                PassKeyTask.Example e = PassKeyTask.example(seqLen, distance, random);
                PassKeyTask.fill(e, inputs, targets, 0);
                retrieved += retrieved(model.logits(inputs, 1, seqLen), e, model.weights().config().vocab()) ? 1 : 0;
            }
            points.add(new Point(distance, retrieved, trials));
            console.printf("  distance %,9d: %3d of %d retrieved (%.0f%%)%n", distance, retrieved, trials, 100.0 * retrieved / trials);
        }
        return points;
    }

    /** Whether the arg-max next byte at each answer position ({@code logits} {@code [seqLen][vocab]}) is the key's digit. */
    static boolean retrieved(FloatArray logits, PassKeyTask.Example e, int vocab) {
        for (int i = 0; i < PassKeyTask.DIGITS; i++) {
            long row = e.answerStart() - 1L + i;
            int best = 0;
            for (int v = 1; v < vocab; v++) {
                if (logits.get(row * vocab + v) > logits.get(row * vocab + best)) {
                    best = v;
                }
            }
            if (best != e.key().charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * passkey.csv and passkey.png (accuracy against distance, log scale) in {@code dir}; false when
     * this Java runtime cannot draw (no java.desktop module) and only the CSV was written.
     */
    public static boolean write(Path dir, List<Point> points) throws IOException {
        StringBuilder csv = new StringBuilder("distance,retrieved,trials,accuracy\n");
        double[] x = new double[points.size()], y = new double[points.size()];
        for (int i = 0; i < points.size(); i++) {
            Point p = points.get(i);
            csv.append(p.distance()).append(',').append(p.retrieved()).append(',').append(p.trials()).append(',').append(p.accuracy())
                    .append('\n');
            x[i] = p.distance();
            y[i] = 100 * p.accuracy();
        }
        byte[] bytes = csv.toString().getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(dir.resolve("passkey.csv"), c -> c.write(ByteBuffer.wrap(bytes)));
        double[] bar = {BAR * 100, BAR * 100};
        try {
            LineChart.writeLogX(dir.resolve("passkey.png"), "Pass-key retrieval", "distance from key to question (tokens)",
                    "accuracy (%)", List.of(new LineChart.Series("retrieved", x, y),
                            new LineChart.Series("90% bar", new double[] {x[0], x[x.length - 1]}, bar)));
            return true;
        } catch (LinkageError e) {
            return false;
        }
    }
}
