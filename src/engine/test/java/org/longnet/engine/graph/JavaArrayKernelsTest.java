package org.longnet.engine.graph;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.longnet.engine.DeviceTest;
import org.longnet.engine.TestDevices;
import org.longnet.engine.api.DeviceArray;
import org.longnet.engine.api.JavaArrays;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Kernels that take Java's own arrays, as TornadoVM's do, give what plain Java gives on every test device: random inputs,
 * outputs poisoned with NaN, a size that is no multiple of a work-group. Devices with memory of their own copy through
 * each array's {@link JavaArrays#mirror}, which the engine's own graphs name in their transfers.
 */
@DeviceTest
class JavaArrayKernelsTest {
    /** Not a multiple of any work-group size, and past one group of 1024. */
    private static final int N = 1237;

    static List<String> devices() {
        return TestDevices.ids();
    }

    private static DeviceArray[] mirrors(Object... arrays) {
        return Arrays.stream(arrays).map(JavaArrays::mirror).toArray(DeviceArray[]::new);
    }

    @ParameterizedTest(name = "every element type read, a float[] written, on {0}")
    @MethodSource("devices")
    void everyElementType(String id) {
        SplittableRandom r = new SplittableRandom(1);
        byte[] b = new byte[N];
        short[] s = new short[N];
        char[] c = new char[N];
        int[] i32 = r.ints(N).toArray();
        long[] l = r.longs(N).toArray();
        float[] f = new float[N];
        double[] d = r.doubles(N, -1e6, 1e6).toArray();
        r.nextBytes(b);
        for (int i = 0; i < N; i++) {
            s[i] = (short) r.nextInt();
            c[i] = (char) r.nextInt();
            f[i] = (float) r.nextGaussian();
        }
        float[] out = new float[N];
        Arrays.fill(out, Float.NaN);
        TestDevices.run(id, new TaskGraph("widen")
                .transferToDevice(DataTransferMode.EVERY_EXECUTION, mirrors(b, s, c, i32, l, f, d, out))
                .task("t", JavaArrayKernels::widen, b, s, c, i32, l, f, d, out)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, mirrors(out)));
        float[] ref = new float[N];
        for (int i = 0; i < N; i++) {
            ref[i] = f[i] * 2f - (float) d[i] + i32[i] % 1000 + s[i] + c[i] + b[i] + l[i] % 77;
        }
        assertArrayEquals(ref, out, id);
    }

    @ParameterizedTest(name = "elements updated in place, run twice, on {0}")
    @MethodSource("devices")
    void updatesInPlace(String id) {
        SplittableRandom r = new SplittableRandom(2);
        int[] a = r.ints(N).toArray(), b = r.ints(N, -1000, 1000).toArray();
        long[] l = r.longs(N).toArray();
        short[] s = new short[N];
        char[] c = new char[N];
        byte[] y = new byte[N];
        double[] d = r.doubles(N).toArray();
        for (int i = 0; i < N; i++) {
            s[i] = (short) r.nextInt();
            c[i] = (char) r.nextInt();
            y[i] = (byte) r.nextInt();
        }
        int[] a0 = a.clone();
        long[] l0 = l.clone();
        short[] s0 = s.clone();
        char[] c0 = c.clone();
        byte[] y0 = y.clone();
        double[] d0 = d.clone();
        for (int run = 0; run < 2; run++) {
            JavaArrayKernels.update(a0, b, l0, s0, c0, y0, d0);
        }
        TaskGraph g = new TaskGraph("update")
                .transferToDevice(DataTransferMode.FIRST_EXECUTION, mirrors(a, b, l, s, c, y, d))
                .task("t", JavaArrayKernels::update, a, b, l, s, c, y, d)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, mirrors(a, l, s, c, y, d));
        try (ExecutionPlan plan = new ExecutionPlan(g.snapshot()).withDevice(TestDevices.open(id))) {
            plan.execute();
            plan.execute();
        }
        assertArrayEquals(a0, a, id + ": int[]");
        assertArrayEquals(l0, l, id + ": long[]");
        assertArrayEquals(s0, s, id + ": short[]");
        assertArrayEquals(c0, c, id + ": char[]");
        assertArrayEquals(y0, y, id + ": byte[]");
        assertArrayEquals(d0, d, id + ": double[]");
    }

    @ParameterizedTest(name = "@Reduce on float[], int[], long[], double[], run twice, on {0}")
    @MethodSource("devices")
    void reductions(String id) {
        SplittableRandom r = new SplittableRandom(3);
        float[] x = new float[N];
        for (int i = 0; i < N; i++) {
            x[i] = (float) r.nextDouble(-1, 1);
        }
        int[] k = r.ints(N).toArray();
        float[] sum = {0.25f}, best = {Float.NaN};
        int[] odd = {12345};
        long[] product = {3};
        double[] half = {-1};
        TaskGraph g = new TaskGraph("reduce")
                .transferToDevice(DataTransferMode.EVERY_EXECUTION, mirrors(x, k, sum, odd, product, half, best))
                .task("sums", JavaArrayKernels::reduce, x, k, sum, odd, product, half)
                .task("max", JavaArrayKernels::max, x, best)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, mirrors(sum, odd, product, half, best));
        double sumRef = 0.25, halfRef = -1;
        int oddRef = 0;
        long productRef = 3;
        float bestRef = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < N; i++) {
            sumRef += x[i];
            halfRef += x[i] * 0.5;
            oddRef += k[i] & 1;
            productRef *= k[i] | 1;
            bestRef = Math.max(bestRef, x[i]);
        }
        try (ExecutionPlan plan = new ExecutionPlan(g.snapshot()).withDevice(TestDevices.open(id))) {
            for (int run = 0; run < 2; run++) {
                sum[0] = 0.25f;
                half[0] = -1;
                product[0] = 3;
                plan.execute();
                assertEquals(sumRef, sum[0], 1e-3, id + ": float[] sum");
                assertEquals(halfRef, half[0], 1e-9, id + ": double[] sum of halves");
                assertEquals(oddRef, odd[0], id + ": int[] count, from its start value");
                assertEquals(productRef, product[0], id + ": long[] product (wrapping)");
                assertEquals(bestRef, best[0], id + ": float[] max, from its start value");
            }
        }
    }

    @ParameterizedTest(name = "assert and a private array sized by a local, on {0}")
    @MethodSource("devices")
    void assertAndLocalSize(String id) {
        SplittableRandom r = new SplittableRandom(4);
        float[] x = new float[N], out = new float[N];
        for (int i = 0; i < N; i++) {
            x[i] = (float) r.nextGaussian();
        }
        Arrays.fill(out, Float.NaN);
        TestDevices.run(id, new TaskGraph("window")
                .transferToDevice(DataTransferMode.EVERY_EXECUTION, mirrors(x, out))
                .task("t", JavaArrayKernels::window, x, out)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, mirrors(out)));
        float[] ref = new float[N];
        for (int i = 0; i < N; i++) {
            ref[i] = x[Math.min(i, N - 1)] + 2f * x[Math.min(i + 1, N - 1)] + x[Math.min(i + 2, N - 1)];
        }
        assertArrayEquals(ref, out, id);
    }
}
