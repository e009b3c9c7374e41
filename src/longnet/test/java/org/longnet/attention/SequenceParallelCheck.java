package org.longnet.attention;

import org.longnet.engine.collective.Communicator;
import org.longnet.engine.collective.Communicators;

import java.util.SplittableRandom;

/**
 * One rank of {@link SequenceParallelAttentionTest}: every rank makes the same random Q, K, V and dO
 * for the whole sequence, computes the single-device forward and backward itself, then runs its chunk
 * with the sequence split across the job's ranks, and compares its rows of O, dQ, dK and dV with the
 * single-device rows. Prints one line per rank with the largest differences and the bytes received;
 * exits with 1 past the tolerance.
 * <p>
 * Arguments: device, batch, sequence length, heads, head dimension, segment lengths, dilation rates
 * (comma-separated), causal (true/false), precision (fp32 or bf16), tolerance (or none: the split run alone, timed, with
 * its traffic; for sizes whose single-device reference would not fit every rank's memory).
 */
public final class SequenceParallelCheck {
    private SequenceParallelCheck() {
    }

    public static void main(String[] args) {
        String device = args[0];
        int batch = Integer.parseInt(args[1]), n = Integer.parseInt(args[2]), heads = Integer.parseInt(args[3]), dim = Integer.parseInt(args[4]);
        DilatedAttentionConfig config = DilatedAttentionConfig.of(ints(args[5]), ints(args[6]), Boolean.parseBoolean(args[7]));
        boolean matrixUnits = args[8].equals("bf16");
        boolean compare = !args[9].equals("none");
        double tolerance = compare ? Double.parseDouble(args[9]) : 0;
        Communicator job = Communicators.job();
        SequenceSplit split = new SequenceSplit(job, n);
        int l = split.chunk();

        AttentionShape whole = new AttentionShape(batch, n, heads, dim), chunk = new AttentionShape(batch, l, heads, dim);
        if (!compare) { // only the split run, on this rank's own random chunk: for sizes whose reference would not fit
            SplittableRandom random = new SplittableRandom(20261204L + split.rank());
            double[][] in = new double[4][];
            for (int i = 0; i < 4; i++) {
                in[i] = AttentionRuns.random(random, chunk.elements());
            }
            long start = System.nanoTime();
            AttentionRuns.run(device, chunk, config, in[0], in[1], in[2], in[3], matrixUnits, split);
            System.out.println(String.format("rank %d of %d: forward+backward %.0f ms (compile and copies included) | received %d B "
                    + "(spec §5: %d)", split.rank(), split.ranks(), (System.nanoTime() - start) / 1e6, job.traffic().received(),
                    formulaBytes(config, chunk, split, matrixUnits)));
            System.exit(0);
        }
        SplittableRandom random = new SplittableRandom(20261204L + n);
        double[] q = AttentionRuns.random(random, whole.elements()), k = AttentionRuns.random(random, whole.elements());
        double[] v = AttentionRuns.random(random, whole.elements()), gradOut = AttentionRuns.random(random, whole.elements());
        double[][] expected = AttentionRuns.run(device, whole, config, q, k, v, gradOut, matrixUnits);
        double[][] got = AttentionRuns.run(device, chunk, config, rows(q, whole, split), rows(k, whole, split), rows(v, whole, split),
                rows(gradOut, whole, split), matrixUnits, split);
        String[] names = {"O", "dQ", "dK", "dV"};
        StringBuilder line = new StringBuilder("rank " + split.rank() + " of " + split.ranks() + ":");
        boolean ok = true;
        for (int i = 0; i < 4; i++) {
            double[] mine = rows(expected[i], whole, split);
            double scale = 0, diff = 0;
            for (int e = 0; e < mine.length; e++) {
                scale = Math.max(scale, Math.abs(mine[e]));
                diff = Math.max(diff, Math.abs(mine[e] - got[i][e]));
            }
            double relative = diff / Math.max(scale, 1e-30);
            ok &= relative <= tolerance;
            line.append(String.format(" %s %.2e", names[i], relative));
        }
        line.append(" | received ").append(job.traffic().received()).append(" B (spec §5: ").append(formulaBytes(config, chunk, split,
                matrixUnits)).append(") | ").append(ok ? "ok" : "FAILED (tolerance " + tolerance + ")");
        System.out.println(line);
        System.exit(ok ? 0 : 1);
    }

    /**
     * What spec §5 says a rank receives for one forward and backward: per pair across chunks, (|G| - 1) l/r rows of
     * K and of V per head in the forward (bf16 on matrix units, else fp32) and as many fp32 rows of their gradients
     * in the backward. (Exact when r divides l; otherwise the blocks differ by a row.)
     */
    static long formulaBytes(DilatedAttentionConfig config, AttentionShape chunk, SequenceSplit split, boolean matrixUnits) {
        long bytes = 0;
        for (DilatedPair p : config.pairs()) {
            int segment = p.effectiveLength(split.length());
            if (segment > split.chunk()) {
                long rows = (long) (segment / split.chunk() - 1) * split.chunk() / p.dilationRate();
                long values = 2 * rows * chunk.batch() * chunk.heads() * chunk.headDim();
                bytes += values * (matrixUnits ? 2 : 4) + values * 4;
            }
        }
        return bytes;
    }

    /** This rank's rows ([B][l][H][D]) of a whole-sequence array ([B][N][H][D]). */
    static double[] rows(double[] whole, AttentionShape shape, SequenceSplit split) {
        int l = split.chunk(), rowLength = shape.heads() * shape.headDim();
        double[] out = new double[shape.batch() * l * rowLength];
        for (int b = 0; b < shape.batch(); b++) {
            System.arraycopy(whole, (b * shape.seqLen() + split.offset()) * rowLength, out, b * l * rowLength, l * rowLength);
        }
        return out;
    }

    private static int[] ints(String list) {
        return java.util.Arrays.stream(list.split(",")).mapToInt(Integer::parseInt).toArray();
    }
}
