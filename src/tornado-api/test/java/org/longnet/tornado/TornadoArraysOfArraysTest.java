package org.longnet.tornado;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.longnet.engine.DeviceTest;
import org.longnet.engine.TestDevices;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.TornadoExecutionPlan;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Java arrays of arrays as task arguments (rectangular and jagged, of random sizes that are no multiples of a work-group),
 * on every device, compared with the kernels run as plain Java; outputs are poisoned first. The caller's rows hold the
 * results, also rows the host replaced between executions.
 */
@DeviceTest
class TornadoArraysOfArraysTest {
    static List<String> devices() {
        return TestDevices.ids();
    }

    /** Rows of random lengths from 0 to maxLength (all of maxLength where rectangular). */
    private static int[] lengths(SplittableRandom r, int rows, int maxLength, boolean rectangular) {
        int[] out = new int[rows];
        for (int i = 0; i < rows; i++) {
            out[i] = rectangular ? maxLength : r.nextInt(maxLength + 1);
        }
        return out;
    }

    private static float[][] randomFloats(SplittableRandom r, int[] lengths) {
        float[][] out = new float[lengths.length][];
        for (int i = 0; i < lengths.length; i++) {
            out[i] = new float[lengths[i]];
            for (int j = 0; j < lengths[i]; j++) {
                out[i][j] = (float) r.nextDouble(-10, 10);
            }
        }
        return out;
    }

    private static float[][] poisonedFloats(int[] lengths) {
        float[][] out = new float[lengths.length][];
        for (int i = 0; i < lengths.length; i++) {
            out[i] = new float[lengths[i]];
            Arrays.fill(out[i], Float.NaN);
        }
        return out;
    }

    private static void execute(String device, TaskGraph graph) throws Exception {
        try (TornadoExecutionPlan plan = new TornadoExecutionPlan(graph.snapshot())) {
            plan.withDevice(TornadoApiTest.device(device)).execute();
        }
    }

    @ParameterizedTest(name = "float[][] rectangular and jagged, read and written, on {0}")
    @MethodSource("devices")
    void floatRowsRectangularAndJagged(String device) throws Exception {
        SplittableRandom r = new SplittableRandom(11);
        for (boolean rectangular : new boolean[] {true, false}) {
            int[] lengths = lengths(r, 37, 131, rectangular);
            float[][] a = randomFloats(r, lengths), b = randomFloats(r, lengths), c = poisonedFloats(lengths), expected = poisonedFloats(lengths);
            ArraysOfArraysKernels.multiplyRows(a, b, expected);
            execute(device, new TaskGraph("s").transferToDevice(DataTransferMode.FIRST_EXECUTION, a, b)
                    .task("t", ArraysOfArraysKernels::multiplyRows, a, b, c).transferToHost(DataTransferMode.EVERY_EXECUTION, new Object[] {c}));
            for (int i = 0; i < lengths.length; i++) {
                // a device may fuse a * b + i into one rounding: a float's last bit may differ
                assertArrayEquals(expected[i], c[i], 1e-4f, "row " + i + (rectangular ? " (rectangular)" : " (jagged)"));
            }
        }
    }

    @ParameterizedTest(name = "double[][] rows of random lengths, empty ones too, summed on {0}")
    @MethodSource("devices")
    void doubleRowsSummed(String device) throws Exception {
        SplittableRandom r = new SplittableRandom(12);
        int[] lengths = lengths(r, 53, 77, false);
        lengths[3] = 0;
        double[][] a = new double[lengths.length][];
        for (int i = 0; i < a.length; i++) {
            a[i] = r.doubles(lengths[i], -1, 1).toArray();
        }
        double[] sums = new double[a.length], expected = new double[a.length];
        int[] counted = new int[a.length], expectedCounts = new int[a.length];
        Arrays.fill(sums, Double.NaN);
        Arrays.fill(counted, -1);
        ArraysOfArraysKernels.rowSums(a, expected, expectedCounts);
        execute(device, new TaskGraph("s").task("t", ArraysOfArraysKernels::rowSums, a, sums, counted)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, sums, counted));
        assertArrayEquals(expected, sums, 0, "the same additions in the same order");
        assertArrayEquals(lengths, counted);
    }

    @ParameterizedTest(name = "int[][] updated in place by two @Parallel loops on {0}")
    @MethodSource("devices")
    void intRowsUpdatedInPlaceIn2dLoops(String device) throws Exception {
        SplittableRandom r = new SplittableRandom(13);
        int rows = 45, columns = 29;
        int[][] a = new int[rows][], expected = new int[rows][];
        for (int i = 0; i < rows; i++) {
            a[i] = r.ints(columns + i % 3).toArray(); // the loops cover the first 29 columns; the rest must stay as they are
            expected[i] = a[i].clone();
        }
        ArraysOfArraysKernels.updateInPlace(expected, columns, 7);
        execute(device, new TaskGraph("s").transferToDevice(DataTransferMode.EVERY_EXECUTION, new Object[] {a})
                .task("t", ArraysOfArraysKernels::updateInPlace, a, columns, 7).transferToHost(DataTransferMode.EVERY_EXECUTION, new Object[] {a}));
        for (int i = 0; i < rows; i++) {
            assertArrayEquals(expected[i], a[i], "row " + i);
        }
    }

    @ParameterizedTest(name = "Arrays.fill of rows, ranges, 1-D arrays and private arrays on {0}")
    @MethodSource("devices")
    void arraysFill(String device) throws Exception {
        SplittableRandom r = new SplittableRandom(14);
        int[] lengths = lengths(r, 33, 19, false);
        int[][] a = new int[lengths.length][], expected = new int[lengths.length][];
        for (int i = 0; i < a.length; i++) {
            a[i] = new int[lengths[i]];
            expected[i] = new int[lengths[i]];
            Arrays.fill(a[i], Integer.MIN_VALUE);
        }
        int[] values = r.ints(a.length).toArray();
        float[] x = new float[101], expectedX = new float[101];
        Arrays.fill(x, Float.NaN);
        ArraysOfArraysKernels.fillRows(expected, values);
        ArraysOfArraysKernels.fillFlat(expectedX, 17, 60, -3.25f);
        execute(device, new TaskGraph("s").task("rows", ArraysOfArraysKernels::fillRows, a, values)
                .task("flat", ArraysOfArraysKernels::fillFlat, x, 17, 60, -3.25f).transferToHost(DataTransferMode.EVERY_EXECUTION, a, x));
        for (int i = 0; i < a.length; i++) {
            assertArrayEquals(expected[i], a[i], "row " + i);
        }
        assertArrayEquals(expectedX, x);
    }

    @ParameterizedTest(name = "long[][], char[][] and byte[][] on {0}")
    @MethodSource("devices")
    void otherElementTypes(String device) throws Exception {
        SplittableRandom r = new SplittableRandom(15);
        int[] lengths = lengths(r, 21, 40, false);
        long[][] in = new long[lengths.length][], out = new long[lengths.length][], expected = new long[lengths.length][];
        char[][] c = new char[lengths.length][];
        byte[][] b = new byte[lengths.length][];
        for (int i = 0; i < lengths.length; i++) {
            in[i] = r.longs(lengths[i]).toArray();
            c[i] = new char[lengths[i]];
            b[i] = new byte[lengths[i]];
            for (int j = 0; j < lengths[i]; j++) {
                c[i][j] = (char) r.nextInt();
                b[i][j] = (byte) r.nextInt();
            }
            out[i] = new long[lengths[i]];
            Arrays.fill(out[i], Long.MIN_VALUE);
            expected[i] = new long[lengths[i]];
        }
        ArraysOfArraysKernels.addMixed(in, c, b, expected);
        execute(device, new TaskGraph("s").task("t", ArraysOfArraysKernels::addMixed, in, c, b, out)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, new Object[] {out}));
        for (int i = 0; i < lengths.length; i++) {
            assertArrayEquals(expected[i], out[i], "row " + i);
        }
    }

    @ParameterizedTest(name = "rows the host replaces between executions are read and written, on {0}")
    @MethodSource("devices")
    void replacedRowsAreSeen(String device) throws Exception {
        SplittableRandom r = new SplittableRandom(16);
        int[] lengths = lengths(r, 9, 50, false);
        float[][] a = randomFloats(r, lengths), b = randomFloats(r, lengths), c = poisonedFloats(lengths);
        TaskGraph graph = new TaskGraph("s").transferToDevice(DataTransferMode.EVERY_EXECUTION, a, b)
                .task("t", ArraysOfArraysKernels::multiplyRows, a, b, c).transferToHost(DataTransferMode.EVERY_EXECUTION, new Object[] {c});
        try (TornadoExecutionPlan plan = new TornadoExecutionPlan(graph.snapshot())) {
            plan.withDevice(TornadoApiTest.device(device)).execute();
            float[] oldRow = c[4], oldResult = oldRow.clone();
            a[4] = randomFloats(r, new int[] {lengths[4]})[0];
            c[4] = poisonedFloats(new int[] {lengths[4]})[0];
            plan.execute();
            float[][] expected = poisonedFloats(lengths);
            ArraysOfArraysKernels.multiplyRows(a, b, expected);
            for (int i = 0; i < lengths.length; i++) {
                assertArrayEquals(expected[i], c[i], 1e-4f, "row " + i);
            }
            assertArrayEquals(oldResult, oldRow, "the replaced row keeps the first execution's results");
            if (!device.equals("jvm")) {
                a[4] = new float[lengths[4] + 1];
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, plan::execute);
                assertTrue(e.getMessage().startsWith("row 4 of a float[][] kernel argument was replaced by one of " + (lengths[4] + 1)
                        + " elements"), e.getMessage());
            }
        }
    }

    /** Java passes a lone int[][] to transferToDevice(mode, a) as its rows; they stand for the array, with their mode. */
    @ParameterizedTest(name = "an array of arrays given alone to a transfer (its rows, to varargs) moves whole, on {0}")
    @MethodSource("devices")
    void loneArrayOfArraysInTransfers(String device) throws Exception {
        SplittableRandom r = new SplittableRandom(17);
        int rows = 13, columns = 30;
        int[][] a = new int[rows][columns];
        TaskGraph graph = new TaskGraph("s").transferToDevice(DataTransferMode.EVERY_EXECUTION, a)
                .task("t", ArraysOfArraysKernels::updateInPlace, a, columns, 3).transferToHost(DataTransferMode.EVERY_EXECUTION, a);
        try (TornadoExecutionPlan plan = new TornadoExecutionPlan(graph.snapshot())) {
            plan.withDevice(TornadoApiTest.device(device));
            for (int execution = 0; execution < 2; execution++) {
                int[][] expected = new int[rows][];
                for (int i = 0; i < rows; i++) {
                    a[i] = r.ints(columns, -1000, 1000).toArray(); // new rows, of the same length, before each execution
                    expected[i] = a[i].clone();
                }
                ArraysOfArraysKernels.updateInPlace(expected, columns, 3);
                plan.execute();
                for (int i = 0; i < rows; i++) {
                    assertArrayEquals(expected[i], a[i], "execution " + execution + ", row " + i);
                }
            }
        }
    }

    @ParameterizedTest(name = "a row shared by two rows, or by two arguments, is refused on devices with memory, on {0}")
    @MethodSource("devices")
    void sharedRowsAreRefusedOnDevicesWithMemory(String device) throws Exception {
        float[] row = {1f, 2f};
        float[][] a = {row, row}, b = {{1f, 1f}, {1f, 1f}}, c = {{0f, 0f}, {0f, 0f}};
        TaskGraph graph = new TaskGraph("s").task("t", ArraysOfArraysKernels::multiplyRows, a, b, c)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, new Object[] {c});
        if (device.equals("jvm")) {
            execute(device, graph); // Java's own arrays: one row under two indices is what Java has
            assertArrayEquals(new float[] {2f, 3f}, c[1]);
            return;
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> execute(device, graph));
        assertEquals("rows 0 and 1 of a float[][] kernel argument are one array; a device holds each row apart, so give each row its own "
                + "array", e.getMessage());
        float[][] d = {{1f, 2f}, {3f, 4f}}, f = {d[1], {5f, 6f}};
        e = assertThrows(IllegalArgumentException.class, () -> execute(device, new TaskGraph("s2")
                .task("t", ArraysOfArraysKernels::multiplyRows, d, f, c).transferToHost(DataTransferMode.EVERY_EXECUTION, new Object[] {c})));
        assertTrue(e.getMessage().endsWith("row 0 of argument 2 is also row 1 of argument 1; a device copies each argument apart, so one array "
                + "must not reach a kernel twice through arrays of arrays"), e.getMessage());
    }
}
