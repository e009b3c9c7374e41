package org.longnet.tornado;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.longnet.engine.DeviceTest;
import org.longnet.engine.TestDevices;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.TornadoExecutionPlan;
import uk.ac.manchester.tornado.api.annotations.Parallel;
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
 * Task kernels whose every work-item makes the same writes, each element once, to an array nothing reads (as TornadoVM's
 * TestLoops.forEach does): they build as device kernels, and on every test device give the sequential result. Beside them,
 * three task kernels that no device can run as Java means them (a value assigned in the @Parallel loop and read after it, a
 * break out of the loop, writes at an index that does not tell the iterations apart) run as Java on the host, with Java's result.
 */
@DeviceTest
class InvariantWritesTest {
    static List<String> devices() {
        return TestDevices.ids();
    }

    /** TornadoVM's TestLoops.forEach, with an output of its own per iteration too. */
    static void forEachCopy(int[] a, int[] c, int[] own, int size) {
        for (@Parallel int i = 0; i < size; i++) {
            int idx = 0;
            for (int j : a) {
                c[idx] = j + 1;
                idx++;
            }
            own[i] = a[i] * 3;
        }
    }

    /** The counter of the one loop around the write, over a TornadoVM array. */
    static void countedRow(FloatArray x, FloatArray row, FloatArray scaled, int n) {
        for (@Parallel int i = 0; i < x.getSize(); i++) {
            for (int j = 0; j < n; j++) {
                row.set(j, x.get(j) * 2f + 1f);
            }
            scaled.set(i, x.get(i) * 0.5f);
        }
    }

    /** A counter that grows by two across two loops, under a condition that every work-item takes alike. */
    static void stridedCounter(float[] x, float[] out, int rounds) {
        for (@Parallel int i = 0; i < x.length; i++) {
            int k = 1;
            for (int r = 0; r < rounds; r++) {
                if (x.length > 3) {
                    for (float e : x) {
                        out[k] = e * r;
                        k += 2;
                    }
                }
            }
        }
    }

    /** TornadoVM's TestNewArrays.initializeToOneParallel: a private array written in the loop and read after it. */
    static void privatized(FloatArray a) {
        float[] seen = new float[16];
        for (@Parallel int i = 0; i < a.getSize(); i++) {
            if (i == 9) {
                seen[0] = 2;
            } else if (i == 5) {
                seen[1] = 3;
            }
            a.set(i, 1);
        }
        a.set(0, a.get(0) + seen[0] + seen[1]);
    }

    /** TornadoVM's TestLoops.controlFlowBreak2, where more than one element would break. */
    static void breakAtFirst(IntArray a) {
        for (@Parallel int i = 0; i < a.getSize(); i++) {
            if (a.get(i) == 2) {
                a.set(i, 10);
                break;
            }
        }
    }

    /** The write of issue 24: iteration i writes elements 0 to i - 1, so the last iteration's value must stay in each. */
    static void triangle(int[] out) {
        for (@Parallel int i = 0; i < out.length; i++) {
            for (int j = 0; j < i; j++) {
                out[j] = i;
            }
        }
    }

    @ParameterizedTest(name = "the same writes from every work-item give the sequential result on {0}")
    @MethodSource("devices")
    void matchSequential(String id) throws Exception {
        SplittableRandom r = new SplittableRandom(11);
        int n = 300;
        int[] a = r.ints(n, -1000, 1000).toArray(), c = new int[n], own = new int[n], wantC = new int[n], wantOwn = new int[n];
        FloatArray x = new FloatArray(n), row = new FloatArray(40), scaled = new FloatArray(n);
        FloatArray wantRow = new FloatArray(40), wantScaled = new FloatArray(n);
        float[] xs = new float[n], out = new float[4 * n + 1], wantOut = new float[4 * n + 1];
        for (int i = 0; i < n; i++) {
            x.set(i, (float) r.nextDouble(-4, 4));
            xs[i] = (float) r.nextDouble(-4, 4);
        }
        forEachCopy(a, wantC, wantOwn, n);
        countedRow(x, wantRow, wantScaled, 40);
        stridedCounter(xs, wantOut, 2);
        TaskGraph graph = new TaskGraph("g").transferToDevice(DataTransferMode.EVERY_EXECUTION, a, x, xs)
                .task("forEach", InvariantWritesTest::forEachCopy, a, c, own, n)
                .task("row", InvariantWritesTest::countedRow, x, row, scaled, 40)
                .task("strided", InvariantWritesTest::stridedCounter, xs, out, 2)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, c, own, row, scaled, out);
        try (TornadoExecutionPlan plan = new TornadoExecutionPlan(graph.snapshot())) {
            plan.withDevice(TornadoApiTest.device(id)).execute();
        }
        assertArrayEquals(wantC, c);
        assertArrayEquals(wantOwn, own);
        assertArrayEquals(wantRow.toHeapArray(), row.toHeapArray());
        assertArrayEquals(wantScaled.toHeapArray(), scaled.toHeapArray());
        assertArrayEquals(wantOut, out);
    }

    @Test
    void buildAsDeviceKernels() throws IOException {
        String kernels;
        try (InputStream in = InvariantWritesTest.class.getResourceAsStream("InvariantWritesTest.kernels")) {
            kernels = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        for (String name : List.of("forEachCopy", "countedRow", "stridedCounter")) {
            assertTrue(Arrays.stream(kernels.split("\n")).anyMatch(l -> l.startsWith(name + "\tparallel\t")), name + " in\n" + kernels);
        }
        for (String name : List.of("privatized", "breakAtFirst", "triangle")) {
            assertTrue(Arrays.stream(kernels.split("\n")).anyMatch(l -> l.startsWith(name + "\tbailout\t")), name + " in\n" + kernels);
        }
    }

    @ParameterizedTest(name = "a value read after its loop, a break, and an unproven index run as Java on {0}")
    @MethodSource("devices")
    void bailoutsGiveJavasResult(String id) throws Exception {
        int n = 64;
        FloatArray a = new FloatArray(n), wantA = new FloatArray(n);
        IntArray b = new IntArray(n), wantB = new IntArray(n);
        for (int i = 0; i < n; i++) {
            b.set(i, i % 7 == 3 ? 2 : i);
            wantB.set(i, b.get(i));
        }
        int[] tri = new int[n], wantTri = new int[n];
        Arrays.fill(tri, -7);
        Arrays.fill(wantTri, -7);
        privatized(wantA);
        breakAtFirst(wantB);
        triangle(wantTri);
        TaskGraph graph = new TaskGraph("g").transferToDevice(DataTransferMode.EVERY_EXECUTION, b, tri)
                .task("privatized", InvariantWritesTest::privatized, a)
                .task("break", InvariantWritesTest::breakAtFirst, b)
                .task("triangle", InvariantWritesTest::triangle, tri)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, a, b, tri);
        try (TornadoExecutionPlan plan = new TornadoExecutionPlan(graph.snapshot())) {
            plan.withDevice(TornadoApiTest.device(id)).execute();
        }
        assertArrayEquals(wantA.toHeapArray(), a.toHeapArray());
        assertArrayEquals(wantB.toHeapArray(), b.toHeapArray());
        assertEquals(2, b.get(10), "Java's break leaves the later elements");
        assertArrayEquals(wantTri, tri);
        assertEquals(n - 1, tri[0], "the last iteration's value stays");
        assertEquals(-7, tri[n - 1], "no iteration writes the last element");
    }
}
