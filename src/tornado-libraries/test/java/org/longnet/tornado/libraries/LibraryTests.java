package org.longnet.tornado.libraries;

import org.longnet.engine.TestDevices;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.TornadoExecutionPlan;
import uk.ac.manchester.tornado.api.annotations.Parallel;
import uk.ac.manchester.tornado.api.common.TornadoDevice;
import uk.ac.manchester.tornado.api.types.HalfFloat;
import uk.ac.manchester.tornado.api.types.arrays.BFloat16Array;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.HalfFloatArray;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the library tests share: devices, random and poisoned arrays, their values as doubles, and the closeness check. */
final class LibraryTests {
    /** What outputs hold before a call: a result that was not written shows as NaN. */
    static final float POISON = Float.NaN;

    private LibraryTests() {
    }

    static List<String> devices() {
        return TestDevices.ids();
    }

    /** The TornadoVM device whose engine id is {@code id} or starts with {@code id:} (opencl is opencl:0:0). */
    static TornadoDevice device(String id) {
        return org.longnet.tornado.TornadoTestDevices.device(id);
    }

    /** Runs {@code graph} {@code times} times on device {@code id}. */
    static void run(String id, TaskGraph graph, int times) throws Exception {
        try (TornadoExecutionPlan plan = new TornadoExecutionPlan(graph.snapshot())) {
            plan.withDevice(device(id));
            for (int i = 0; i < times; i++) {
                plan.execute();
            }
        }
    }

    static FloatArray floats(SplittableRandom r, int n) {
        FloatArray a = new FloatArray(n);
        for (int i = 0; i < n; i++) {
            a.set(i, (float) r.nextDouble(-1, 1));
        }
        return a;
    }

    static HalfFloatArray halves(SplittableRandom r, int n) {
        HalfFloatArray a = new HalfFloatArray(n);
        for (int i = 0; i < n; i++) {
            a.set(i, new HalfFloat((float) r.nextDouble(-1, 1)));
        }
        return a;
    }

    static BFloat16Array bf16s(SplittableRandom r, int n) {
        BFloat16Array a = new BFloat16Array(n);
        for (int i = 0; i < n; i++) {
            a.setFloat(i, (float) r.nextDouble(-1, 1));
        }
        return a;
    }

    static FloatArray poisoned(int n) {
        FloatArray a = new FloatArray(n);
        a.init(POISON);
        return a;
    }

    static HalfFloatArray poisonedHalves(int n) {
        HalfFloatArray a = new HalfFloatArray(n);
        a.init(new HalfFloat(POISON));
        return a;
    }

    /** The array's values as doubles (any type {@link Elements} reads). */
    static double[] values(Object array) {
        Elements e = Elements.of("array", array);
        double[] v = new double[e.length()];
        for (int i = 0; i < v.length; i++) {
            v[i] = e.get(i);
        }
        return v;
    }

    /** Every element of {@code actual} within {@code relative * max(1, |expected|)} of {@code expected}. */
    static void assertClose(double[] expected, Object actual, double relative) {
        double[] got = values(actual);
        assertEquals(expected.length, got.length, "length");
        for (int i = 0; i < expected.length; i++) {
            if (Double.isNaN(expected[i])) {
                assertTrue(Double.isNaN(got[i]), "element " + i + " must be left as it was (NaN), was " + got[i]);
            } else {
                assertEquals(expected[i], got[i], relative * Math.max(1, Math.abs(expected[i])), "element " + i);
            }
        }
    }

    /** A kernel: {@code out = in + 1} (a task whose result a library call reads). */
    static void plusOne(FloatArray in, FloatArray out) {
        for (@Parallel int i = 0; i < in.getSize(); i++) {
            out.set(i, in.get(i) + 1);
        }
    }

    /** A kernel: adds 1 to every element (a task after a library call). */
    static void addOne(FloatArray a) {
        for (@Parallel int i = 0; i < a.getSize(); i++) {
            a.set(i, a.get(i) + 1);
        }
    }
}
