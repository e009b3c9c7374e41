package org.longnet.tornado;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.longnet.engine.DeviceTest;
import org.longnet.engine.TestDevices;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.TornadoExecutionPlan;
import uk.ac.manchester.tornado.api.annotations.Parallel;
import uk.ac.manchester.tornado.api.annotations.Reduce;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code @Parallel} loops that count down (TornadoVM's TestLoops.reverseLoop: {@code for (@Parallel int i = n - 1; i >= 0; i--)}),
 * by one or by a step, to an inclusive or exclusive end, alone, in a nest and with {@code @Reduce}: device kernels that
 * give the sequential result on every test device.
 */
@DeviceTest
class DescendingLoopsTest {
    static List<String> devices() {
        return TestDevices.ids();
    }

    static void reverse(IntArray a, IntArray out) {
        for (@Parallel int i = a.getSize() - 1; i >= 0; i--) {
            out.set(i, a.get(i) * 2 + i);
        }
    }

    /** Every third element from the top, down to (not including) element 2. */
    static void steppedDown(IntArray a, IntArray out, int top) {
        for (@Parallel int i = top; i > 2; i -= 3) {
            out.set(i, a.get(i) - 7);
        }
    }

    /** Rows counted up, columns counted down. */
    static void nest(FloatArray a, FloatArray out, int rows, int cols) {
        for (@Parallel int i = 0; i < rows; i++) {
            for (@Parallel int j = cols - 1; j >= 0; --j) {
                out.set(i * cols + j, a.get(i * cols + j) * 3f + i);
            }
        }
    }

    static void sumDown(IntArray a, @Reduce IntArray sum) {
        for (@Parallel int i = a.getSize() - 1; i >= 1; i -= 2) {
            sum.set(0, sum.get(0) + a.get(i));
        }
    }

    @ParameterizedTest(name = "loops counting down give the sequential result on {0}")
    @MethodSource("devices")
    void matchSequential(String id) throws Exception {
        SplittableRandom r = new SplittableRandom(3);
        int n = 1001, rows = 13, cols = 37;
        IntArray a = new IntArray(n), out = new IntArray(n), stepped = new IntArray(n), sum = new IntArray(1);
        IntArray wantOut = new IntArray(n), wantStepped = new IntArray(n), wantSum = new IntArray(1);
        FloatArray m = new FloatArray(rows * cols), mOut = new FloatArray(rows * cols), wantM = new FloatArray(rows * cols);
        for (int i = 0; i < n; i++) {
            a.set(i, r.nextInt(-1000, 1000));
        }
        for (int i = 0; i < rows * cols; i++) {
            m.set(i, r.nextInt(-1000, 1000) / 4f); // exact with or without a fused multiply-add
        }
        out.init(-1);
        stepped.init(-1);
        wantOut.init(-1);
        wantStepped.init(-1);
        reverse(a, wantOut);
        steppedDown(a, wantStepped, n - 2);
        nest(m, wantM, rows, cols);
        sumDown(a, wantSum);
        TaskGraph graph = new TaskGraph("g").transferToDevice(DataTransferMode.EVERY_EXECUTION, a, m, out, stepped, sum)
                .task("reverse", DescendingLoopsTest::reverse, a, out)
                .task("stepped", DescendingLoopsTest::steppedDown, a, stepped, n - 2)
                .task("nest", DescendingLoopsTest::nest, m, mOut, rows, cols)
                .task("sum", DescendingLoopsTest::sumDown, a, sum)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, out, stepped, mOut, sum);
        try (TornadoExecutionPlan plan = new TornadoExecutionPlan(graph.snapshot())) {
            plan.withDevice(TornadoApiTest.device(id)).execute();
        }
        assertArrayEquals(wantOut.toHeapArray(), out.toHeapArray());
        assertArrayEquals(wantStepped.toHeapArray(), stepped.toHeapArray());
        assertArrayEquals(wantM.toHeapArray(), mOut.toHeapArray());
        assertEquals(wantSum.get(0), sum.get(0));
    }

    @Test
    void buildAsDeviceKernels() throws IOException {
        String kernels;
        try (InputStream in = DescendingLoopsTest.class.getResourceAsStream("DescendingLoopsTest.kernels")) {
            kernels = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        for (String name : List.of("reverse", "steppedDown", "nest", "sumDown")) {
            assertTrue(Arrays.stream(kernels.split("\n")).anyMatch(l -> l.startsWith(name + "\tparallel\t")), name + " in\n" + kernels);
        }
    }
}
