package org.longnet.tornado;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.longnet.engine.DeviceTest;
import org.longnet.engine.TestDevices;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.TornadoExecutionPlan;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;
import uk.ac.manchester.tornado.api.types.arrays.DoubleArray;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;
import uk.ac.manchester.tornado.api.types.arrays.LongArray;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The {@code @Reduce} forms of {@link ReduceFormsKernels} end as the sequential Java loop leaves the element, on every
 * test device. An element set inside the kernel before its loop does so whatever it held before, and again on each
 * execution of one plan (the results stay on the device between executions, so a start that was not set would keep
 * adding). An update adding several terms adds them all to the element's value before the task. Sizes are not
 * multiples of any work-group size.
 */
@DeviceTest
class ReduceFormsTest {
    private static final int RUNS = 3;

    static List<String> devices() {
        return TestDevices.ids();
    }

    @ParameterizedTest(name = "@Reduce set before its loop on {0}")
    @MethodSource("devices")
    void startValuesSetInTheKernelGiveTheSequentialResultOnEveryRun(String id) throws Exception {
        int n = 100_003, rows = 37, cols = 29;
        SplittableRandom r = new SplittableRandom(11);
        FloatArray floats = new FloatArray(n);
        IntArray ints = new IntArray(n);
        DoubleArray factors = new DoubleArray(1001);
        LongArray matrix = new LongArray(rows * cols);
        for (int i = 0; i < n; i++) {
            floats.set(i, r.nextInt(-3, 4));
            ints.set(i, r.nextInt(-5, 5));
        }
        for (int i = 0; i < factors.getSize(); i++) {
            factors.set(i, 1 + r.nextDouble(-1e-3, 1e-3));
        }
        for (int i = 0; i < matrix.getSize(); i++) {
            matrix.set(i, r.nextLong(-1L << 40, 1L << 40));
        }
        FloatArray sum = FloatArray.fromElements(1e6f), max = FloatArray.fromElements(1e6f);
        DoubleArray product = DoubleArray.fromElements(-5.0);
        IntArray counts = IntArray.fromElements(-1, -2, -3, -4);
        LongArray total = LongArray.fromElements(123L);

        FloatArray expectedSum = new FloatArray(1), expectedMax = new FloatArray(1);
        DoubleArray expectedProduct = new DoubleArray(1);
        IntArray expectedCounts = IntArray.fromElements(-1, -2, -3, -4);
        LongArray expectedTotal = new LongArray(1);
        ReduceFormsKernels.sumFromZero(floats, expectedSum);
        ReduceFormsKernels.maxFrom(floats, expectedMax, -100f);
        ReduceFormsKernels.productFromOne(factors, expectedProduct);
        ReduceFormsKernels.countPositiveFromSeven(ints, expectedCounts, 1);
        ReduceFormsKernels.sumOfMatrix(matrix, rows, cols, expectedTotal);

        TaskGraph graph = new TaskGraph("s").transferToDevice(DataTransferMode.FIRST_EXECUTION, floats, ints, factors, matrix, counts)
                .task("sum", ReduceFormsKernels::sumFromZero, floats, sum)
                .task("max", ReduceFormsKernels::maxFrom, floats, max, -100f)
                .task("product", ReduceFormsKernels::productFromOne, factors, product)
                .task("count", ReduceFormsKernels::countPositiveFromSeven, ints, counts, 1)
                .task("total", ReduceFormsKernels::sumOfMatrix, matrix, rows, cols, total)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, sum, max, product, counts, total);
        try (TornadoExecutionPlan plan = new TornadoExecutionPlan(graph.snapshot())) {
            plan.withDevice(TornadoApiTest.device(id));
            for (int run = 0; run < RUNS; run++) {
                plan.execute();
                String which = " (run " + run + ")";
                assertEquals(expectedSum.get(0), sum.get(0), "sum" + which);
                assertEquals(expectedMax.get(0), max.get(0), "max" + which);
                assertEquals(expectedProduct.get(0), product.get(0), 1e-9 * Math.abs(expectedProduct.get(0)), "product" + which);
                for (int k = 0; k < counts.getSize(); k++) {
                    assertEquals(expectedCounts.get(k), counts.get(k), "counts[" + k + "]" + which);
                }
                assertEquals(expectedTotal.get(0), total.get(0), "total" + which);
            }
        }
    }

    @ParameterizedTest(name = "@Reduce of several terms on {0}")
    @MethodSource("devices")
    void anUpdateOfSeveralTermsAddsThemAll(String id) throws Exception {
        int n = 50_001;
        SplittableRandom r = new SplittableRandom(12);
        IntArray a = new IntArray(n), b = new IntArray(n);
        for (int i = 0; i < n; i++) {
            a.set(i, r.nextInt(-1000, 1000));
            b.set(i, r.nextInt(-1000, 1000));
        }
        IntArray result = IntArray.fromElements(42), expected = IntArray.fromElements(42);
        ReduceFormsKernels.sumOfTwoTerms(a, b, expected);
        TaskGraph graph = new TaskGraph("t").transferToDevice(DataTransferMode.EVERY_EXECUTION, a, b, result)
                .task("terms", ReduceFormsKernels::sumOfTwoTerms, a, b, result).transferToHost(DataTransferMode.EVERY_EXECUTION, result);
        try (TornadoExecutionPlan plan = new TornadoExecutionPlan(graph.snapshot())) {
            plan.withDevice(TornadoApiTest.device(id)).execute();
        }
        assertEquals(expected.get(0), result.get(0));
    }

    @ParameterizedTest(name = "@Reduce through helpers, and one only read, on {0}")
    @MethodSource("devices")
    void helpersAndReadOnlyReduceArraysGiveTheSequentialResults(String id) throws Exception {
        int n = 40_003;
        SplittableRandom r = new SplittableRandom(21);
        LongArray a = new LongArray(n);
        DoubleArray d = new DoubleArray(n), values = new DoubleArray(n), expectedValues = new DoubleArray(n);
        for (int i = 0; i < n; i++) {
            a.set(i, r.nextLong(-1_000_000, 1_000_000));
            d.set(i, r.nextDouble(-1e6, 1e6));
        }
        LongArray sum = LongArray.fromElements(-1), expectedSum = LongArray.fromElements(-1);
        DoubleArray max = DoubleArray.fromElements(-2e6), expectedMax = DoubleArray.fromElements(-2e6);
        DoubleArray shift = DoubleArray.fromElements(r.nextDouble());
        ReduceFormsKernels.sumThroughHelper(a, expectedSum);
        ReduceFormsKernels.maxThroughHelper(d, expectedMax);
        ReduceFormsKernels.shiftByReduced(expectedValues, shift);
        TaskGraph graph = new TaskGraph("h").transferToDevice(DataTransferMode.EVERY_EXECUTION, a, d, sum, max, shift, values)
                .task("sum", ReduceFormsKernels::sumThroughHelper, a, sum).task("max", ReduceFormsKernels::maxThroughHelper, d, max)
                .task("shift", ReduceFormsKernels::shiftByReduced, values, shift)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, sum, max, values);
        try (TornadoExecutionPlan plan = new TornadoExecutionPlan(graph.snapshot())) {
            plan.withDevice(TornadoApiTest.device(id)).execute();
        }
        assertEquals(expectedSum.get(0), sum.get(0));
        assertEquals(expectedMax.get(0), max.get(0));
        for (int i = 0; i < n; i++) {
            assertEquals(expectedValues.get(i), values.get(i), "element " + i);
        }
    }
}
