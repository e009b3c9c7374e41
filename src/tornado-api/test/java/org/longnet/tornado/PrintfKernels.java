package org.longnet.tornado;

import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.TornadoExecutionPlan;
import uk.ac.manchester.tornado.api.annotations.Parallel;
import uk.ac.manchester.tornado.api.exceptions.Debug;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;
import uk.ac.manchester.tornado.api.types.arrays.LongArray;

/**
 * A kernel that prints ints, longs, floats, doubles, chars and booleans with Debug.printf; run as a program
 * ({@code main(deviceId)}) so that a test reads what the device's printf wrote to the process's standard output.
 */
public final class PrintfKernels {
    static final int N = 4;

    private PrintfKernels() {
    }

    static void print(IntArray a, LongArray b, FloatArray f) {
        for (@Parallel int i = 0; i < a.getSize(); i++) {
            Debug.printf("i=%d a=%5d b=%d hex=%x%n", i, a.get(i), b.get(i), b.get(i));
            Debug.printf("i=%d f=%f e=%.3e g=%g d=%-8.2f|%c %b 100%%\n", i, f.get(i), f.get(i), f.get(i), (double) f.get(i) * 2, 'z', i % 2 == 0);
        }
    }

    /** The values line {@code i} prints. */
    static int a(int i) {
        return (i - 2) * 1234;
    }

    static long b(int i) {
        return (i + 1) * 3_000_000_000L;
    }

    static float f(int i) {
        return (i - 1) * 1.5f + 0.25f;
    }

    public static void main(String[] args) throws Exception {
        IntArray a = new IntArray(N);
        LongArray b = new LongArray(N);
        FloatArray f = new FloatArray(N);
        for (int i = 0; i < N; i++) {
            a.set(i, a(i));
            b.set(i, b(i));
            f.set(i, f(i));
        }
        try (TornadoExecutionPlan plan = new TornadoExecutionPlan(new TaskGraph("p").transferToDevice(
                uk.ac.manchester.tornado.api.enums.DataTransferMode.EVERY_EXECUTION, a, b, f)
                .task("print", PrintfKernels::print, a, b, f).snapshot())) {
            plan.withDevice(TornadoApiTest.device(args[0])).execute();
        }
    }
}
