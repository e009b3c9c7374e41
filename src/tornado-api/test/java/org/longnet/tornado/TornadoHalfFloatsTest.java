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
import uk.ac.manchester.tornado.api.math.TornadoMath;
import uk.ac.manchester.tornado.api.types.HalfFloat;
import uk.ac.manchester.tornado.api.types.arrays.ByteArray;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.HalfFloatArray;
import uk.ac.manchester.tornado.api.types.arrays.ShortArray;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * TornadoVM's HalfFloat arithmetic in kernels, on every test device, bit for bit against the same Java run on the host:
 * each operation rounds its float result to fp16, so a device that kept float precision between operations, rounded the
 * other way at ties, or lost the overflow to infinity and the subnormals would differ. The inputs mix values of every
 * fp16 range (subnormal, normal, near the largest finite one, negative), so sums overflow and quotients underflow. HalfFloat
 * and byte local arrays hold a work-group's tree reductions, which must equal the same tree computed on the host.
 */
@DeviceTest
class TornadoHalfFloatsTest {
    private static final int N = 4099, GROUP = 64;

    static List<String> devices() {
        return TestDevices.ids();
    }

    /** {@code (a * b + c) / a - b} one fp16 operation at a time, through a helper; and TornadoVM's bit-order max and min. */
    static void arithmetic(HalfFloatArray a, HalfFloatArray b, HalfFloatArray c, HalfFloatArray out, HalfFloatArray max, HalfFloatArray min) {
        for (@Parallel int i = 0; i < out.getSize(); i++) {
            HalfFloat x = a.get(i);
            HalfFloat quotient = HalfFloat.div(multiplyAdd(x, b.get(i), c.get(i)), x);
            out.set(i, HalfFloat.sub(quotient, b.get(i)));
            max.set(i, TornadoMath.max(x, c.get(i)));
            min.set(i, TornadoMath.min(x, c.get(i)));
        }
    }

    static HalfFloat multiplyAdd(HalfFloat x, HalfFloat y, HalfFloat z) {
        return HalfFloat.add(HalfFloat.mult(x, y), z);
    }

    /** Floats rounded to fp16 (new HalfFloat(float), inline and from a computed value), their bits, and halves made from bits. */
    static void conversions(FloatArray in, ShortArray bitsIn, HalfFloatArray rounded, HalfFloatArray doubled, ShortArray bitsOut,
            FloatArray fromBits) {
        for (@Parallel int i = 0; i < in.getSize(); i++) {
            rounded.set(i, new HalfFloat(in.get(i)));
            HalfFloat twice = new HalfFloat(in.get(i) * 2.0f);
            doubled.set(i, twice);
            bitsOut.set(i, twice.getHalfFloatValue());
            fromBits.set(i, new HalfFloat(bitsIn.get(i)).getFloat32());
        }
    }

    /**
     * Per work-group, a tree sum of fp16 values in a HalfFloat local array and, in a byte local array, the byte-wrapping sum
     * and TornadoMath's byte max; a group's work-items past the data add zeros.
     */
    static void groupReductions(KernelContext context, HalfFloatArray x, ByteArray y, HalfFloatArray sums, ByteArray byteSums, ByteArray maxima) {
        int gid = context.globalIdx;
        int lid = context.localIdx;
        HalfFloat[] xs = context.allocateHalfFloatLocalArray(GROUP);
        byte[] ys = context.allocateByteLocalArray(GROUP);
        byte[] ms = context.allocateByteLocalArray(GROUP);
        xs[lid] = gid < x.getSize() ? x.get(gid) : new HalfFloat(0f);
        ys[lid] = gid < y.getSize() ? y.get(gid) : 0;
        ms[lid] = gid < y.getSize() ? y.get(gid) : Byte.MIN_VALUE;
        for (int stride = context.localGroupSizeX / 2; stride > 0; stride /= 2) {
            context.localBarrier();
            if (lid < stride) {
                xs[lid] = HalfFloat.add(xs[lid], xs[lid + stride]);
                ys[lid] += ys[lid + stride];
                ms[lid] = TornadoMath.max(ms[lid], ms[lid + stride]);
            }
        }
        if (lid == 0) {
            sums.set(context.groupIdx, xs[0]);
            byteSums.set(context.groupIdx, ys[0]);
            maxima.set(context.groupIdx, ms[0]);
        }
    }

    /** A value of a random fp16 range: subnormal, small, ordinary, near the largest finite (65504), each of either sign. */
    private static float randomHalfRange(SplittableRandom r) {
        float magnitude = switch (r.nextInt(4)) {
            case 0 -> (float) r.nextDouble(0, 6.1e-5);
            case 1 -> (float) r.nextDouble(0, 1e-2);
            case 2 -> (float) r.nextDouble(0, 300);
            default -> (float) r.nextDouble(1e4, 7e4);
        };
        return r.nextBoolean() ? magnitude : -magnitude;
    }

    private static HalfFloatArray randomHalves(SplittableRandom r) {
        HalfFloatArray out = new HalfFloatArray(N);
        for (int i = 0; i < N; i++) {
            out.set(i, new HalfFloat(randomHalfRange(r)));
        }
        return out;
    }

    @ParameterizedTest(name = "HalfFloat arithmetic on {0}")
    @MethodSource("devices")
    void arithmeticRoundsEachOperationAsJava(String id) throws Exception {
        SplittableRandom r = new SplittableRandom(16);
        HalfFloatArray a = randomHalves(r), b = randomHalves(r), c = randomHalves(r);
        HalfFloatArray out = new HalfFloatArray(N), max = new HalfFloatArray(N), min = new HalfFloatArray(N);
        TaskGraph graph = new TaskGraph("h").transferToDevice(DataTransferMode.EVERY_EXECUTION, a, b, c)
                .task("t", TornadoHalfFloatsTest::arithmetic, a, b, c, out, max, min)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, out, max, min);
        try (TornadoExecutionPlan plan = new TornadoExecutionPlan(graph.snapshot())) {
            plan.withDevice(TornadoApiTest.device(id)).execute();
        }
        for (int i = 0; i < N; i++) {
            HalfFloat quotient = HalfFloat.div(multiplyAdd(a.get(i), b.get(i), c.get(i)), a.get(i));
            assertSameHalf(HalfFloat.sub(quotient, b.get(i)), out.get(i), "element " + i);
            assertEquals(TornadoMath.max(a.get(i), c.get(i)).getHalfFloatValue(), max.get(i).getHalfFloatValue(), "max " + i);
            assertEquals(TornadoMath.min(a.get(i), c.get(i)).getHalfFloatValue(), min.get(i).getHalfFloatValue(), "min " + i);
        }
    }

    /** The same fp16 value, bit for bit, or both NaN (a NaN's payload bits are each device's own, as Java leaves them to the hardware). */
    private static void assertSameHalf(HalfFloat want, HalfFloat got, String what) {
        if (!(Float.isNaN(want.getFloat32()) && Float.isNaN(got.getFloat32()))) {
            assertEquals(want.getHalfFloatValue(), got.getHalfFloatValue(), what + ": " + want + ", " + got);
        }
    }

    @ParameterizedTest(name = "HalfFloat conversions on {0}")
    @MethodSource("devices")
    void conversionsRoundToNearestEvenAsJava(String id) throws Exception {
        SplittableRandom r = new SplittableRandom(17);
        FloatArray in = new FloatArray(N), fromBits = new FloatArray(N);
        ShortArray bitsIn = new ShortArray(N), bitsOut = new ShortArray(N);
        HalfFloatArray rounded = new HalfFloatArray(N), doubled = new HalfFloatArray(N);
        for (int i = 0; i < N; i++) {
            // every third value lies halfway between two fp16 neighbours: the tie goes to the even one
            float value = randomHalfRange(r);
            float half = Float.float16ToFloat(Float.floatToFloat16(value));
            float next = Math.nextUp(half) == half ? half : Float.float16ToFloat((short) (Float.floatToFloat16(value) + 1));
            in.set(i, i % 3 == 0 && Float.isFinite(next) ? (half + next) / 2 : value);
            short bits = (short) r.nextInt(1 << 16);
            // fp16 NaNs are left out: their payload bits are the device's choice
            bitsIn.set(i, Float.isNaN(Float.float16ToFloat(bits)) ? (short) (bits & 0x3FFF) : bits);
        }
        TaskGraph graph = new TaskGraph("c").transferToDevice(DataTransferMode.EVERY_EXECUTION, in, bitsIn)
                .task("t", TornadoHalfFloatsTest::conversions, in, bitsIn, rounded, doubled, bitsOut, fromBits)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, rounded, doubled, bitsOut, fromBits);
        try (TornadoExecutionPlan plan = new TornadoExecutionPlan(graph.snapshot())) {
            plan.withDevice(TornadoApiTest.device(id)).execute();
        }
        for (int i = 0; i < N; i++) {
            assertEquals(new HalfFloat(in.get(i)).getHalfFloatValue(), rounded.get(i).getHalfFloatValue(), "rounded " + i + ": " + in.get(i));
            short twice = new HalfFloat(in.get(i) * 2.0f).getHalfFloatValue();
            assertEquals(twice, doubled.get(i).getHalfFloatValue(), "doubled " + i);
            assertEquals(twice, bitsOut.get(i), "bits " + i);
            assertEquals(Float.floatToRawIntBits(Float.float16ToFloat(bitsIn.get(i))), Float.floatToRawIntBits(fromBits.get(i)), "from bits " + i);
        }
    }

    @ParameterizedTest(name = "HalfFloat and byte local arrays on {0}")
    @MethodSource("devices")
    void halfFloatAndByteLocalArrays(String id) throws Exception {
        SplittableRandom r = new SplittableRandom(18);
        int groups = (N + GROUP - 1) / GROUP;
        HalfFloatArray x = new HalfFloatArray(N), sums = new HalfFloatArray(groups);
        ByteArray y = new ByteArray(N), byteSums = new ByteArray(groups), maxima = new ByteArray(groups);
        for (int i = 0; i < N; i++) {
            x.set(i, new HalfFloat((float) r.nextDouble(-2, 2)));
            y.set(i, (byte) r.nextInt(256));
        }
        WorkerGrid grid = new WorkerGrid1D(groups * GROUP);
        grid.setLocalWork(GROUP, 1, 1);
        TaskGraph graph = new TaskGraph("g").transferToDevice(DataTransferMode.EVERY_EXECUTION, x, y)
                .task("t", TornadoHalfFloatsTest::groupReductions, new KernelContext(), x, y, sums, byteSums, maxima)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, sums, byteSums, maxima);
        try (TornadoExecutionPlan plan = new TornadoExecutionPlan(graph.snapshot())) {
            plan.withDevice(TornadoApiTest.device(id)).withGridScheduler(new GridScheduler("g.t", grid)).execute();
        }
        for (int g = 0; g < groups; g++) {
            HalfFloat[] xs = new HalfFloat[GROUP];
            byte sum = 0, max = Byte.MIN_VALUE;
            for (int l = 0; l < GROUP; l++) {
                int i = g * GROUP + l;
                xs[l] = i < N ? x.get(i) : new HalfFloat(0f);
                if (i < N) {
                    sum += y.get(i);
                    max = (byte) Math.max(max, y.get(i));
                }
            }
            for (int stride = GROUP / 2; stride > 0; stride /= 2) {
                for (int l = 0; l < stride; l++) {
                    xs[l] = HalfFloat.add(xs[l], xs[l + stride]);
                }
            }
            assertEquals(xs[0].getHalfFloatValue(), sums.get(g).getHalfFloatValue(), "fp16 sum of group " + g);
            assertEquals(sum, byteSums.get(g), "byte sum of group " + g);
            assertEquals(max, maxima.get(g), "byte max of group " + g);
        }
    }
}
