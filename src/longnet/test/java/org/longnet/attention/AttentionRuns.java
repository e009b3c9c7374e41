package org.longnet.attention;

import org.longnet.engine.TestDevices;
import org.longnet.engine.api.BFloat16Array;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.device.Device;
import org.longnet.engine.graph.DataTransferMode;
import org.longnet.engine.graph.ExecutionPlan;
import org.longnet.engine.graph.TaskGraph;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * What the attention tests share: {@link DilatedAttentionCore}'s forward and backward run on a test device from float64
 * inputs (fp32 or, on matrix units, bf16 operands with the tensor maps' slack; outputs and slack poisoned with NaN), and the
 * conversions and comparison they use.
 */
final class AttentionRuns {
    private AttentionRuns() {
    }

    /** Runs forward (and backward when gradOut is given) on a device; returns {out, gradQ, gradK, gradV}. */
    static double[][] run(String device, AttentionShape shape, DilatedAttentionConfig config, double[] q, double[] k, double[] v,
                          double[] gradOut) {
        return run(device, shape, config, q, k, v, gradOut, false);
    }

    /** With {@code matrixUnits}, Q, K, V go in as bf16 and the matrix-unit kernels run. */
    static double[][] run(String device, AttentionShape shape, DilatedAttentionConfig config, double[] q, double[] k, double[] v,
                          double[] gradOut, boolean matrixUnits) {
        return run(device, shape, config, q, k, v, gradOut, matrixUnits, SequenceSplit.single(shape.seqLen()));
    }

    /** On this rank's chunk of a sequence split across ranks ({@code shape} holds the chunk). */
    static double[][] run(String device, AttentionShape shape, DilatedAttentionConfig config, double[] q, double[] k, double[] v,
                          double[] gradOut, boolean matrixUnits, SequenceSplit split) {
        return run(device, shape, config, q, k, v, gradOut, matrixUnits, split, null);
    }

    /** A case's run, with the matrix-unit kernels of {@code schedule} in the forward and the backward. */
    static double[][] run(DilatedAttentionTest.Case c, MatrixUnitSchedule schedule, double[] q, double[] k, double[] v, double[] gradOut, boolean matrixUnits) {
        return run(c.device(), c.shape(), c.config(), q, k, v, gradOut, matrixUnits, SequenceSplit.single(c.shape().seqLen()), schedule);
    }

    /** With the matrix-unit kernels of {@code schedule} in both passes, or (null) those the system properties name. */
    static double[][] run(String device, AttentionShape shape, DilatedAttentionConfig config, double[] q, double[] k, double[] v,
                          double[] gradOut, boolean matrixUnits, SequenceSplit split, MatrixUnitSchedule schedule) {
        Device dev = TestDevices.open(device);
        FloatArray out = poisoned(shape.elements()), lse = poisoned(shape.rows());
        FloatArray gq = poisoned(shape.elements()), gk = poisoned(shape.elements()), gv = poisoned(shape.elements());
        FloatArray go = gradOut == null ? null : floats(gradOut), delta = poisoned(shape.rows());
        DilatedAttentionCore core = new DilatedAttentionCore(shape, config, "attn", false, split);
        if (schedule != null) {
            core.withSchedules(schedule, schedule);
        }
        TaskGraph g = new TaskGraph("attn");
        if (matrixUnits) {
            long padded = core.operandElements();
            BFloat16Array bq = halves(q, padded), bk = halves(k, padded), bv = halves(v, padded);
            g.transferToDevice(DataTransferMode.EVERY_EXECUTION, bq, bk, bv);
            core.appendForward(g, bq, bk, bv, out, lse);
            if (go != null) {
                BFloat16Array go16 = halves(new double[0], padded);
                g.transferToDevice(DataTransferMode.EVERY_EXECUTION, go);
                core.appendBackward(g, bq, bk, bv, out, lse, go, go16, delta, gq, gk, gv);
            }
        } else {
            FloatArray fq = floats(q), fk = floats(k), fv = floats(v);
            g.transferToDevice(DataTransferMode.EVERY_EXECUTION, fq, fk, fv);
            core.appendForward(g, fq, fk, fv, out, lse);
            if (go != null) {
                g.transferToDevice(DataTransferMode.EVERY_EXECUTION, go);
                core.appendBackward(g, fq, fk, fv, out, lse, go, delta, gq, gk, gv);
            }
        }
        if (go != null) {
            g.transferToHost(DataTransferMode.EVERY_EXECUTION, gq, gk, gv);
        }
        g.transferToHost(DataTransferMode.EVERY_EXECUTION, out);
        try (ExecutionPlan plan = new ExecutionPlan(g.snapshot()).withDevice(dev)) {
            plan.execute();
        }
        return gradOut == null ? new double[][] {doubles(out)} : new double[][] {doubles(out), doubles(gq), doubles(gk), doubles(gv)};
    }

    /**
     * The matrix-unit backward from bf16 dO with dQ written over O (the smallest memory plan), dQ
     * added atomically or, {@code deterministic}, from its own kernel, by the kernels of {@code schedule}; returns {dQ, dK, dV}.
     */
    static double[][] runInPlace(DilatedAttentionTest.Case c, MatrixUnitSchedule schedule, double[] q, double[] k, double[] v, double[] gradOut,
                                 boolean deterministic) {
        return runInPlace(c, schedule, q, k, v, gradOut, deterministic, 0);
    }

    /**
     * The same, or with {@code chunkParts} > 0 the in-place backward ({@link DilatedAttentionCore#appendBackwardInPlace}) through
     * poisoned chunk gradients for at most that many chunks a sequence, whose dK and dV come back from K's and V's places.
     */
    static double[][] runInPlace(DilatedAttentionTest.Case c, MatrixUnitSchedule schedule, double[] q, double[] k, double[] v, double[] gradOut,
                                 boolean deterministic, int chunkParts) {
        AttentionShape shape = c.shape();
        FloatArray outAndGradQ = poisoned(shape.elements()), lse = poisoned(shape.rows()), delta = poisoned(shape.rows());
        DilatedAttentionCore core = new DilatedAttentionCore(shape, c.config(), "attn", deterministic).withSchedules(schedule, schedule);
        long padded = core.operandElements();
        BFloat16Array bq = halves(q, padded), bk = halves(k, padded), bv = halves(v, padded), go = halves(gradOut, padded);
        TaskGraph g = new TaskGraph("attn").transferToDevice(DataTransferMode.EVERY_EXECUTION, bq, bk, bv, go);
        core.appendForward(g, bq, bk, bv, outAndGradQ, lse);
        // The in-place plan leaves dK and dV in K's and V's places, the standard one in arrays of their own.
        FloatArray gk = null, gv = null;
        if (chunkParts == 0) {
            gk = poisoned(shape.elements());
            gv = poisoned(shape.elements());
            core.appendBackward(g, bq, bk, bv, outAndGradQ, lse, go, delta, outAndGradQ, gk, gv);
            g.transferToHost(DataTransferMode.EVERY_EXECUTION, outAndGradQ, gk, gv);
        } else {
            long chunk = ChunkedBackward.chunkElements(shape, c.config(), chunkParts);
            core.appendBackwardInPlace(g, bq, bk, bv, outAndGradQ, lse, go, delta, poisoned(chunk), poisoned(chunk));
            g.transferToHost(DataTransferMode.EVERY_EXECUTION, outAndGradQ, bk, bv);
        }
        try (ExecutionPlan plan = new ExecutionPlan(g.snapshot()).withDevice(TestDevices.open(c.device()))) {
            plan.execute();
        }
        if (gk != null) {
            return new double[][] {doubles(outAndGradQ), doubles(gk), doubles(gv)};
        }
        return new double[][] {doubles(outAndGradQ), doubles(bk, shape.elements()), doubles(bv, shape.elements())};
    }

    /**
     * x in bf16, in an array of {@code size} elements whose rest (the tensor maps' slack, {@link DilatedAttentionCore#operandElements})
     * is NaN: the core must zero what its kernels read there.
     */
    private static BFloat16Array halves(double[] x, long size) {
        BFloat16Array out = new BFloat16Array(size);
        for (long i = 0; i < size; i++) {
            out.set(i, i < x.length ? (float) x[(int) i] : Float.NaN);
        }
        return out;
    }

    static void assertClose(String what, double[] ref, double[] got, double tol) {
        assertEquals(ref.length, got.length, what + ": size");
        double scale = 0;
        for (double x : ref) {
            scale = Math.max(scale, Math.abs(x));
        }
        for (int i = 0; i < ref.length; i++) {
            if (!(Math.abs(ref[i] - got[i]) <= tol * Math.max(1, scale))) {
                fail(what + ": element " + i + " is " + got[i] + ", reference " + ref[i]);
            }
        }
    }

    static double[] random(SplittableRandom r, long n) {
        double[] x = new double[(int) n];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextDouble(-1, 1);
        }
        return x;
    }

    /** Q, K, V and dO of {@code elements} random values each, drawn in that order from {@code seed}. */
    static double[][] randomOperands(long seed, long elements) {
        SplittableRandom r = new SplittableRandom(seed);
        return new double[][] {random(r, elements), random(r, elements), random(r, elements), random(r, elements)};
    }

    static FloatArray floats(double[] x) {
        FloatArray f = new FloatArray(x.length);
        for (int i = 0; i < x.length; i++) {
            f.set(i, (float) x[i]);
        }
        return f;
    }

    static FloatArray poisoned(long n) {
        FloatArray f = new FloatArray(n);
        f.fill(Float.NaN);
        return f;
    }

    /** The first {@code n} elements of a bf16 array. */
    static double[] doubles(BFloat16Array b, long n) {
        double[] x = new double[(int) n];
        for (int i = 0; i < x.length; i++) {
            x[i] = b.get(i);
        }
        return x;
    }

    static double[] doubles(FloatArray f) {
        double[] x = new double[(int) f.getSize()];
        for (int i = 0; i < x.length; i++) {
            x[i] = f.get(i);
        }
        return x;
    }
}
