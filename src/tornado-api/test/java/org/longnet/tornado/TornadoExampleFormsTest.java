package org.longnet.tornado;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.longnet.engine.DeviceTest;
import org.longnet.engine.TestDevices;
import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.TornadoExecutionPlan;
import uk.ac.manchester.tornado.api.annotations.Parallel;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;
import uk.ac.manchester.tornado.api.types.HalfFloat;
import uk.ac.manchester.tornado.api.types.arrays.ByteArray;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.matrix.Matrix2DInt;
import uk.ac.manchester.tornado.api.types.matrix.Matrix4x4Float;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Forms that TornadoVM's examples use, on every test device against plain-Java references: a local array whose length is
 * the work-group's extent read from the context (MatrixVectorSimdReduction), fp16 scales read from a byte array
 * (MatrixVectorRowMajor's Q8_0 blocks), and a matrix's fill in a kernel (slam.GraphicsTests). Tasks run with
 * {@code tornado.recover.bailout=false}, so a task that the translator had refused throws instead of passing as host Java.
 * Outputs are poisoned beforehand, and no size is a multiple of a work-group's.
 */
@DeviceTest
class TornadoExampleFormsTest {
    private static final String BAILOUT = "tornado.recover.bailout";
    /** A Q8_0 block: an fp16 scale, then 32 signed bytes. */
    private static final int BLOCK = 32, BLOCK_BYTES = 34;

    static List<String> devices() {
        return TestDevices.ids();
    }

    /**
     * Row sums and row maxima of an n-column matrix, one work-group a row, reduced in two local arrays sized by the launch's
     * work-group (one read from the context directly, one through a local), as a tree over a power-of-two group.
     */
    static void rowSumsAndMaxima(KernelContext context, FloatArray m, FloatArray sums, FloatArray maxima, int n) {
        int row = context.groupIdx, lid = context.localIdx;
        int items = context.localGroupSizeX;
        float[] partSums = context.allocateFloatLocalArray(context.localGroupSizeX);
        float[] partMaxima = context.allocateFloatLocalArray(items);
        float sum = 0, max = Float.NEGATIVE_INFINITY;
        for (int j = lid; j < n; j += items) {
            float v = m.get(row * n + j);
            sum += v;
            max = Math.max(max, v);
        }
        partSums[lid] = sum;
        partMaxima[lid] = max;
        for (int stride = items / 2; stride > 0; stride >>= 1) {
            context.localBarrier();
            if (lid < stride) {
                partSums[lid] += partSums[lid + stride];
                partMaxima[lid] = Math.max(partMaxima[lid], partMaxima[lid + stride]);
            }
        }
        if (lid == 0) {
            sums.set(row, partSums[0]);
            maxima.set(row, partMaxima[0]);
        }
    }

    /** Each Q8_0 block's dot product with x: its fp16 scale (read from the bytes) times the sum of its bytes times x. */
    static void q8BlockDots(ByteArray q, FloatArray x, FloatArray out) {
        for (@Parallel int b = 0; b < out.getSize(); b++) {
            int at = b * BLOCK_BYTES;
            HalfFloat scale = q.getHalfFloat(at);
            float sum = 0;
            for (int k = 0; k < BLOCK; k++) {
                sum += q.get(at + 2 + k) * x.get(b * BLOCK + k);
            }
            out.set(b, scale.getFloat32() * sum);
        }
    }

    /** The camera matrix of intrinsics k (f_x, f_y, x_0, y_0 at 0..3), filled with zeros first: one work-item. */
    static void cameraMatrix(FloatArray k, Matrix4x4Float m) {
        m.fill(0f);
        m.set(0, 0, k.get(0));
        m.set(1, 1, k.get(1));
        m.set(0, 2, k.get(2));
        m.set(1, 2, k.get(3));
        m.set(2, 2, 1);
        m.set(3, 3, 1);
    }

    /** Fills an int matrix with a value computed once from its arguments, then marks its diagonal. */
    static void filledWithDiagonal(Matrix2DInt m, int value) {
        m.fill(value * 3 - 1);
        for (int i = 0; i < Math.min(m.getNumRows(), m.getNumColumns()); i++) {
            m.set(i, i, i);
        }
    }

    private static void withoutBailout(ThrowingRun run) throws Exception {
        String before = System.getProperty(BAILOUT);
        System.setProperty(BAILOUT, "false");
        try {
            run.run();
        } finally {
            if (before == null) {
                System.clearProperty(BAILOUT);
            } else {
                System.setProperty(BAILOUT, before);
            }
        }
    }

    private interface ThrowingRun {
        void run() throws Exception;
    }

    private static void execute(String id, TaskGraph graph) throws Exception {
        withoutBailout(() -> {
            try (TornadoExecutionPlan plan = new TornadoExecutionPlan(graph.snapshot())) {
                plan.withDevice(TornadoApiTest.device(id)).execute();
            }
        });
    }

    @ParameterizedTest(name = "local arrays sized by the work-group's extent on {0}")
    @MethodSource("devices")
    void localArraysSizedByTheWorkGroup(String id) throws Exception {
        int rows = 23, n = 203;
        SplittableRandom r = new SplittableRandom(11);
        FloatArray m = new FloatArray(rows * n);
        for (int i = 0; i < rows * n; i++) {
            m.set(i, (float) r.nextDouble(-1, 1));
        }
        // one kernel, two launches: the arrays' length follows each launch's work-group
        for (int group : new int[] {8, 64}) {
            FloatArray sums = new FloatArray(rows), maxima = new FloatArray(rows);
            sums.init(Float.NaN);
            maxima.init(Float.NaN);
            TaskGraph graph = new TaskGraph("g").transferToDevice(DataTransferMode.EVERY_EXECUTION, m)
                    .task("rows", TornadoExampleFormsTest::rowSumsAndMaxima, new KernelContext(), m, sums, maxima, n)
                    .transferToHost(DataTransferMode.EVERY_EXECUTION, sums, maxima);
            withoutBailout(() -> TornadoApiTest.runOnGrid(id, graph, "g.rows", rows * group, group));
            for (int i = 0; i < rows; i++) {
                double want = 0, wantMax = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < n; j++) {
                    want += m.get(i * n + j);
                    wantMax = Math.max(wantMax, m.get(i * n + j));
                }
                assertEquals(want, sums.get(i), 1e-4, "sum of row " + i + " with groups of " + group);
                assertEquals(wantMax, maxima.get(i), 0, "max of row " + i + " with groups of " + group);
            }
        }
    }

    @ParameterizedTest(name = "ByteArray.getHalfFloat on {0}")
    @MethodSource("devices")
    void halfFloatScalesFromBytes(String id) throws Exception {
        int blocks = 77;
        SplittableRandom r = new SplittableRandom(12);
        ByteArray q = new ByteArray(blocks * BLOCK_BYTES);
        FloatArray x = new FloatArray(blocks * BLOCK), out = new FloatArray(blocks);
        for (int b = 0; b < blocks; b++) {
            // negative, subnormal and large scales: both bytes of the fp16 value matter
            float scale = switch (b % 4) {
                case 0 -> (float) r.nextDouble(-2, 2);
                case 1 -> (float) r.nextDouble(-1e-6, 1e-6);
                case 2 -> (float) r.nextDouble(-6e4, 6e4);
                default -> (float) r.nextDouble(1e-3, 1);
            };
            q.setHalfFloat(b * BLOCK_BYTES, new HalfFloat(scale));
            for (int k = 0; k < BLOCK; k++) {
                q.set(b * BLOCK_BYTES + 2 + k, (byte) r.nextInt(-127, 128));
                x.set(b * BLOCK + k, (float) r.nextDouble(-1, 1));
            }
        }
        out.init(Float.NaN);
        execute(id, new TaskGraph("q").transferToDevice(DataTransferMode.EVERY_EXECUTION, q, x)
                .task("dots", TornadoExampleFormsTest::q8BlockDots, q, x, out).transferToHost(DataTransferMode.EVERY_EXECUTION, out));
        for (int b = 0; b < blocks; b++) {
            double scale = q.getHalfFloat(b * BLOCK_BYTES).getFloat32(), sum = 0, magnitude = 0;
            for (int k = 0; k < BLOCK; k++) {
                double term = q.get(b * BLOCK_BYTES + 2 + k) * (double) x.get(b * BLOCK + k);
                sum += term;
                magnitude += Math.abs(term);
            }
            // float rounding of 32 terms; a wrong byte of the scale moves it by far more (2^-10 of it or a power of two)
            assertEquals(scale * sum, out.get(b), 1e-5 * Math.abs(scale) * magnitude, "block " + b);
        }
    }

    @ParameterizedTest(name = "Matrix4x4Float.fill in a kernel on {0}")
    @MethodSource("devices")
    void cameraMatrixFilledInAKernel(String id) throws Exception {
        FloatArray k = FloatArray.fromElements(1.5f, 2.5f, 3.5f, 4.5f);
        Matrix4x4Float m = new Matrix4x4Float();
        m.fill(Float.NaN);
        execute(id, new TaskGraph("c").transferToDevice(DataTransferMode.EVERY_EXECUTION, k, m)
                .task("camera", TornadoExampleFormsTest::cameraMatrix, k, m).transferToHost(DataTransferMode.EVERY_EXECUTION, m));
        Matrix4x4Float want = new Matrix4x4Float();
        want.fill(Float.NaN);
        cameraMatrix(k, want);
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                assertEquals(want.get(i, j), m.get(i, j), 0, "(" + i + ", " + j + ")");
            }
        }
    }

    @ParameterizedTest(name = "Matrix2DInt.fill in a kernel on {0}")
    @MethodSource("devices")
    void intMatrixFilledInAKernel(String id) throws Exception {
        int rows = 13, columns = 71, value = 12_345;
        Matrix2DInt m = new Matrix2DInt(rows, columns);
        m.fill(Integer.MIN_VALUE);
        execute(id, new TaskGraph("f").transferToDevice(DataTransferMode.EVERY_EXECUTION, m)
                .task("fill", TornadoExampleFormsTest::filledWithDiagonal, m, value).transferToHost(DataTransferMode.EVERY_EXECUTION, m));
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < columns; j++) {
                assertEquals(i == j ? i : value * 3 - 1, m.get(i, j), "(" + i + ", " + j + ")");
            }
        }
    }
}
