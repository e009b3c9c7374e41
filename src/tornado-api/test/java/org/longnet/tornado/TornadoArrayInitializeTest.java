package org.longnet.tornado;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.longnet.engine.DeviceTest;
import org.longnet.engine.TestDevices;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.TornadoExecutionPlan;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;
import uk.ac.manchester.tornado.api.types.HalfFloat;
import uk.ac.manchester.tornado.api.types.arrays.ByteArray;
import uk.ac.manchester.tornado.api.types.arrays.CharArray;
import uk.ac.manchester.tornado.api.types.arrays.DoubleArray;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.HalfFloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;
import uk.ac.manchester.tornado.api.types.arrays.LongArray;
import uk.ac.manchester.tornado.api.types.arrays.ShortArray;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code FloatArray::initialize} and its kin as tasks, as TornadoVM's programs write them, on every test device: each
 * array (a length that is no multiple of a work-group's) is poisoned on the host, then filled on the device with a random
 * value of its element type that a narrowing on the way (byte, short and char travel as int) or a float/double mix-up would
 * change, and every element must come back as Java's {@code initialize} leaves it, bit for bit.
 */
@DeviceTest
class TornadoArrayInitializeTest {
    private static final int N = 1037;

    static List<String> devices() {
        return TestDevices.ids();
    }

    @ParameterizedTest(name = "initialize of every TornadoVM array type on {0}")
    @MethodSource("devices")
    void initializeFillsAsJava(String id) throws Exception {
        SplittableRandom r = new SplittableRandom(11);
        FloatArray floats = new FloatArray(N);
        DoubleArray doubles = new DoubleArray(N);
        IntArray ints = new IntArray(N);
        LongArray longs = new LongArray(N);
        ByteArray bytes = new ByteArray(N);
        ShortArray shorts = new ShortArray(N);
        CharArray chars = new CharArray(N);
        HalfFloatArray halves = new HalfFloatArray(N);
        floats.init(Float.NaN);
        doubles.init(Double.NaN);
        ints.init(-1);
        longs.init(-1);
        bytes.init((byte) 0);
        shorts.init((short) 0);
        chars.init('\0');
        halves.init(new HalfFloat(Float.NaN));
        float f = (float) r.nextDouble(-1e30, 1e30);
        double d = r.nextDouble(-1e300, 1e300);
        int i = r.nextInt(Integer.MIN_VALUE, -1);
        long l = r.nextLong(Long.MIN_VALUE, Integer.MIN_VALUE);
        byte b = (byte) r.nextInt(Byte.MIN_VALUE, 0);
        short s = (short) r.nextInt(Short.MIN_VALUE, Byte.MIN_VALUE);
        char c = (char) r.nextInt(Short.MAX_VALUE + 1, Character.MAX_VALUE + 1);
        HalfFloat h = new HalfFloat((float) r.nextDouble(-1000, -1));
        TaskGraph graph = new TaskGraph("s").task("f", FloatArray::initialize, floats, f).task("d", DoubleArray::initialize, doubles, d)
                .task("i", IntArray::initialize, ints, i).task("l", LongArray::initialize, longs, l)
                .task("b", ByteArray::initialize, bytes, b).task("s", ShortArray::initialize, shorts, s)
                .task("c", CharArray::initialize, chars, c).task("h", HalfFloatArray::initialize, halves, h)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, floats, doubles, ints, longs, bytes, shorts, chars, halves);
        try (TornadoExecutionPlan plan = new TornadoExecutionPlan(graph.snapshot())) {
            plan.withDevice(TornadoApiTest.device(id)).execute();
        }
        for (int k = 0; k < N; k++) {
            assertEquals(Float.floatToRawIntBits(f), Float.floatToRawIntBits(floats.get(k)), "float " + k);
            assertEquals(Double.doubleToRawLongBits(d), Double.doubleToRawLongBits(doubles.get(k)), "double " + k);
            assertEquals(i, ints.get(k), "int " + k);
            assertEquals(l, longs.get(k), "long " + k);
            assertEquals(b, bytes.get(k), "byte " + k);
            assertEquals(s, shorts.get(k), "short " + k);
            assertEquals(c, chars.get(k), "char " + k);
            assertEquals(h.getHalfFloatValue(), halves.get(k).getHalfFloatValue(), "half " + k);
        }
    }
}
