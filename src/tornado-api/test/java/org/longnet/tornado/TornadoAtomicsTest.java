package org.longnet.tornado;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.longnet.engine.DeviceTest;
import org.longnet.engine.TestDevices;
import uk.ac.manchester.tornado.api.GridScheduler;
import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.TornadoExecutionPlan;
import uk.ac.manchester.tornado.api.WorkerGrid;
import uk.ac.manchester.tornado.api.WorkerGrid1D;
import uk.ac.manchester.tornado.api.annotations.Parallel;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;
import uk.ac.manchester.tornado.api.types.arrays.DoubleArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;
import uk.ac.manchester.tornado.api.types.arrays.LongArray;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TornadoVM's atomics in kernels, on every device: KernelContext.atomicAdd into a LongArray, a DoubleArray and a Java
 * int[] (from a @Parallel loop, whose context serves the adds alone, and from a KernelContext kernel), and AtomicInteger
 * task arguments, whose value the host has again after each execution. Random inputs into few bins, so that many
 * work-items add to one element; sums compared with plain Java's.
 */
@DeviceTest
class TornadoAtomicsTest {
    private static final int N = 3001, BINS = 7, GROUP = 64;

    static List<String> devices() {
        return TestDevices.ids();
    }

    static void histograms(KernelContext context, IntArray bin, int[] counts, LongArray sums, DoubleArray weights, LongArray values) {
        for (@Parallel int i = 0; i < bin.getSize(); i++) {
            int b = bin.get(i);
            context.atomicAdd(counts, b, 1);
            context.atomicAdd(sums, b, values.get(i));
            context.atomicAdd(weights, b, values.get(i) % 8 * 0.125);
        }
    }

    static void longSums(KernelContext context, IntArray bin, LongArray values, LongArray sums) {
        int i = context.globalIdx;
        if (i < bin.getSize()) {
            context.atomicAdd(sums, bin.get(i), values.get(i));
        }
    }

    /** Each work-item draws a ticket from the counter, and counts the second counter down through a helper. */
    static void tickets(IntArray out, IntArray down, AtomicInteger next, AtomicInteger left) {
        for (@Parallel int i = 0; i < out.getSize(); i++) {
            out.set(i, next.getAndIncrement());
            down.set(i, countDown(left));
        }
    }

    private static int countDown(AtomicInteger counter) {
        return counter.decrementAndGet();
    }

    static void after(KernelContext context, IntArray out, IntArray seen, AtomicInteger a, AtomicInteger b) {
        int i = context.globalIdx;
        if (i < out.getSize()) {
            out.set(i, a.incrementAndGet() - b.getAndDecrement());
            seen.set(i, a.get());
        }
    }

    @ParameterizedTest(name = "atomicAdd on int[], LongArray and DoubleArray from a @Parallel loop on {0}")
    @MethodSource("devices")
    void atomicAddsFromParallelLoopsAllCount(String id) throws Exception {
        SplittableRandom r = new SplittableRandom(11);
        IntArray bin = new IntArray(N);
        LongArray values = new LongArray(N), sums = new LongArray(BINS);
        DoubleArray weights = new DoubleArray(BINS);
        int[] counts = new int[BINS];
        int[] wantCounts = new int[BINS];
        long[] wantSums = new long[BINS];
        double[] wantWeights = new double[BINS];
        for (int b = 0; b < BINS; b++) {
            sums.set(b, r.nextLong());
            weights.set(b, b * 0.5);
            wantSums[b] = sums.get(b);
            wantWeights[b] = b * 0.5;
        }
        for (int i = 0; i < N; i++) {
            int b = r.nextInt(BINS);
            long v = r.nextLong(); // 64-bit sums that wrap, as Java's
            bin.set(i, b);
            values.set(i, v);
            wantCounts[b]++;
            wantSums[b] += v;
            wantWeights[b] += v % 8 * 0.125; // multiples of 1/8, so every order of adding gives the same double
        }
        TaskGraph graph = new TaskGraph("s").transferToDevice(DataTransferMode.FIRST_EXECUTION, bin, values, counts, sums, weights)
                .task("t", TornadoAtomicsTest::histograms, new KernelContext(), bin, counts, sums, weights, values)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, counts, sums, weights);
        try (TornadoExecutionPlan plan = new TornadoExecutionPlan(graph.snapshot())) {
            plan.withDevice(TornadoApiTest.device(id)).execute();
        }
        assertArrayEquals(wantCounts, counts);
        assertArrayEquals(wantSums, sums.toHeapArray());
        assertArrayEquals(wantWeights, weights.toHeapArray());
    }

    @ParameterizedTest(name = "atomicAdd on a LongArray from a KernelContext kernel on {0}")
    @MethodSource("devices")
    void atomicAddsFromWorkItemsAllCount(String id) throws Exception {
        SplittableRandom r = new SplittableRandom(12);
        IntArray bin = new IntArray(N);
        LongArray values = new LongArray(N), sums = new LongArray(BINS);
        long[] want = new long[BINS];
        for (int i = 0; i < N; i++) {
            bin.set(i, r.nextInt(BINS));
            values.set(i, r.nextLong(1L << 40) - (1L << 39));
            want[bin.get(i)] += values.get(i);
        }
        TaskGraph graph = new TaskGraph("s").task("t", TornadoAtomicsTest::longSums, new KernelContext(), bin, values, sums)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, sums);
        WorkerGrid grid = new WorkerGrid1D((N + GROUP - 1) / GROUP * GROUP);
        grid.setLocalWork(GROUP, 1, 1);
        try (TornadoExecutionPlan plan = new TornadoExecutionPlan(graph.snapshot())) {
            plan.withDevice(TornadoApiTest.device(id)).withGridScheduler(new GridScheduler("s.t", grid)).execute();
        }
        assertArrayEquals(want, sums.toHeapArray());
    }

    @ParameterizedTest(name = "AtomicInteger task arguments on {0}")
    @MethodSource("devices")
    void atomicIntegersHandOutTicketsAndComeBack(String id) throws Exception {
        int start = new SplittableRandom(13).nextInt(1 << 20), executions = 3;
        AtomicInteger next = new AtomicInteger(start), left = new AtomicInteger(0);
        IntArray out = new IntArray(N), down = new IntArray(N);
        TaskGraph graph = new TaskGraph("s").transferToDevice(DataTransferMode.EVERY_EXECUTION, next, left)
                .task("t", TornadoAtomicsTest::tickets, out, down, next, left)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, out, down, next, left);
        try (TornadoExecutionPlan plan = new TornadoExecutionPlan(graph.snapshot())) {
            plan.withDevice(TornadoApiTest.device(id));
            for (int e = 0; e < executions; e++) {
                plan.execute();
                // every work-item drew one ticket of this execution's N and took one step down: each value exactly once
                int[] tickets = out.toHeapArray(), steps = down.toHeapArray();
                Arrays.sort(tickets);
                Arrays.sort(steps);
                for (int i = 0; i < N; i++) {
                    assertEquals(start + e * N + i, tickets[i], "ticket " + i + " of execution " + e);
                    assertEquals(-(e + 1) * N + i, steps[i], "step " + i + " of execution " + e);
                }
                assertEquals(start + (e + 1) * N, next.get(), "the counter after execution " + e);
                assertEquals(-(e + 1) * N, left.get(), "the count-down after execution " + e);
            }
        }
    }

    @ParameterizedTest(name = "AtomicInteger in a KernelContext kernel, wrapping as Java's int, on {0}")
    @MethodSource("devices")
    void atomicIntegersWrapAsJavasInt(String id) throws Exception {
        int aStart = Integer.MAX_VALUE - 100, bStart = Integer.MIN_VALUE + 50;
        AtomicInteger a = new AtomicInteger(aStart), b = new AtomicInteger(bStart);
        IntArray out = new IntArray(N), seen = new IntArray(N);
        TaskGraph graph = new TaskGraph("s").task("t", TornadoAtomicsTest::after, new KernelContext(), out, seen, a, b)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, out, seen, a, b);
        WorkerGrid grid = new WorkerGrid1D((N + GROUP - 1) / GROUP * GROUP);
        grid.setLocalWork(GROUP, 1, 1);
        try (TornadoExecutionPlan plan = new TornadoExecutionPlan(graph.snapshot())) {
            plan.withDevice(TornadoApiTest.device(id)).withGridScheduler(new GridScheduler("s.t", grid)).execute();
        }
        assertEquals(aStart + N, a.get(), "wrapped past Integer.MAX_VALUE");
        assertEquals(bStart - N, b.get(), "wrapped past Integer.MIN_VALUE");
        int sum = 0, want = 0;
        for (int i = 0; i < N; i++) {
            sum += out.get(i);
            want += (aStart + i + 1) - (bStart - i);
            int sinceStart = seen.get(i) - aStart; // wrapping, as the counter does
            assertTrue(sinceStart >= 1 && sinceStart <= N, "a.get() read " + seen.get(i) + ", not a value the counter held");
        }
        // each out[i] is one incremented a minus one b before its decrement, so their wrapping sum is the sequential one's
        assertEquals(want, sum);
    }
}
