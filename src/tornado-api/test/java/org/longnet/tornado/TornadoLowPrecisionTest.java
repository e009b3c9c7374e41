package org.longnet.tornado;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.longnet.engine.DeviceTest;
import org.longnet.engine.TestDevices;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.TornadoExecutionPlan;
import uk.ac.manchester.tornado.api.annotations.Parallel;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;
import uk.ac.manchester.tornado.api.types.BFloat16;
import uk.ac.manchester.tornado.api.types.FP8;
import uk.ac.manchester.tornado.api.types.arrays.BFloat16Array;
import uk.ac.manchester.tornado.api.types.arrays.ByteArray;
import uk.ac.manchester.tornado.api.types.arrays.FP8Array;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * TornadoVM's FP8 and bfloat16 codecs in kernels, on every test device: each code decoded, and floats of every kind
 * (random, ties, the largest finite values and past them, subnormals, zeros, infinities, NaN) encoded, give the host's
 * results bit for bit.
 */
@DeviceTest
class TornadoLowPrecisionTest {
    static List<String> devices() {
        return TestDevices.ids();
    }

    static void decodeFp8(ByteArray codes, FloatArray e4m3, FloatArray e5m2) {
        for (@Parallel int i = 0; i < codes.getSize(); i++) {
            e4m3.set(i, FP8.e4m3ToFloat(codes.get(i)));
            e5m2.set(i, FP8.e5m2ToFloat(codes.get(i)));
        }
    }

    static void encodeFp8(FloatArray values, FP8Array e4m3, ByteArray e5m2) {
        for (@Parallel int i = 0; i < values.getSize(); i++) {
            e4m3.set(i, FP8.e4m3FromFloat(values.get(i)));
            e5m2.set(i, FP8.e5m2FromFloat(values.get(i)));
        }
    }

    /** Decodes each word and writes back the word of twice its value: both directions in one kernel. */
    static void doubleBf16(BFloat16Array in, FloatArray decoded, BFloat16Array doubled) {
        for (@Parallel int i = 0; i < in.getSize(); i++) {
            float v = BFloat16.bf16ToFloat(in.get(i));
            decoded.set(i, v);
            doubled.set(i, BFloat16.bf16FromFloat(v * 2f));
        }
    }

    static void encodeBf16(FloatArray values, BFloat16Array words) {
        for (@Parallel int i = 0; i < values.getSize(); i++) {
            words.set(i, BFloat16.bf16FromFloat(values.get(i)));
        }
    }

    /** Each kind of float a codec must get right, and random ones of every magnitude. */
    private static FloatArray samples(int n) {
        float tie4 = Float.intBitsToFloat(0x3F880000); // 1.0625: half way between E4M3's 1 and 1.125
        float tieSub4 = 1.5f * 0.001953125f;         // half way between E4M3's subnormals 1 and 2
        float[] fixed = {0f, -0f, 1f, -1f, tie4, -tie4, tieSub4, -tieSub4, 448f, 447.9f, 464f, 1e6f, -1e6f, 57344f, 61439.99f, 61440f,
            Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, Float.intBitsToFloat(0xFFC00001), Float.MIN_VALUE, -Float.MIN_VALUE,
            Float.MIN_NORMAL, (0.5f - 0x1p-25f) * 0x1p-9f, (0.5f - 0x1p-25f) * 0x1p-16f, 0x1p-6f, 0x1p-14f, 0x1p-10f, 0x1p-17f,
            3.3895314e38f, 3.3961775e38f, Float.intBitsToFloat(0x7F7F7FFF), Float.MAX_VALUE, Float.intBitsToFloat(0x3F808000),
            Float.intBitsToFloat(0x3F818000), Float.intBitsToFloat(0xBF808000)};
        FloatArray values = new FloatArray(n);
        SplittableRandom r = new SplittableRandom(8);
        for (int i = 0; i < n; i++) {
            values.set(i, i < fixed.length ? fixed[i] : Float.intBitsToFloat(r.nextInt()));
        }
        return values;
    }

    private static void run(String id, TaskGraph graph) throws Exception {
        try (TornadoExecutionPlan plan = new TornadoExecutionPlan(graph.snapshot())) {
            plan.withDevice(TornadoApiTest.device(id)).execute();
        }
    }

    @ParameterizedTest(name = "FP8 codecs on {0}")
    @MethodSource("devices")
    void fp8CodecsMatchTheHostBitForBit(String id) throws Exception {
        ByteArray codes = new ByteArray(256);
        for (int b = 0; b < 256; b++) {
            codes.set(b, (byte) b);
        }
        FloatArray e4m3 = new FloatArray(256), e5m2 = new FloatArray(256);
        run(id, new TaskGraph("d").transferToDevice(DataTransferMode.EVERY_EXECUTION, codes)
                .task("t", TornadoLowPrecisionTest::decodeFp8, codes, e4m3, e5m2).transferToHost(DataTransferMode.EVERY_EXECUTION, e4m3, e5m2));
        for (int b = 0; b < 256; b++) {
            assertEquals(Float.floatToRawIntBits(FP8.e4m3ToFloat((byte) b)), Float.floatToRawIntBits(e4m3.get(b)), "E4M3 code " + b);
            assertEquals(Float.floatToRawIntBits(FP8.e5m2ToFloat((byte) b)), Float.floatToRawIntBits(e5m2.get(b)), "E5M2 code " + b);
        }
        FloatArray values = samples(20_000);
        FP8Array e4m3Codes = new FP8Array(values.getSize());
        ByteArray e5m2Codes = new ByteArray(values.getSize());
        run(id, new TaskGraph("e").transferToDevice(DataTransferMode.EVERY_EXECUTION, values)
                .task("t", TornadoLowPrecisionTest::encodeFp8, values, e4m3Codes, e5m2Codes)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, e4m3Codes, e5m2Codes));
        for (int i = 0; i < values.getSize(); i++) {
            assertEquals(FP8.e4m3FromFloat(values.get(i)), e4m3Codes.get(i), "E4M3 of " + values.get(i));
            assertEquals(FP8.e5m2FromFloat(values.get(i)), e5m2Codes.get(i), "E5M2 of " + values.get(i));
        }
    }

    @ParameterizedTest(name = "bfloat16 codec on {0}")
    @MethodSource("devices")
    void bfloat16CodecMatchesTheHostBitForBit(String id) throws Exception {
        BFloat16Array words = new BFloat16Array(65536);
        for (int w = 0; w < 65536; w++) {
            words.set(w, (short) w);
        }
        FloatArray decoded = new FloatArray(65536);
        BFloat16Array doubled = new BFloat16Array(65536);
        run(id, new TaskGraph("d").transferToDevice(DataTransferMode.EVERY_EXECUTION, words)
                .task("t", TornadoLowPrecisionTest::doubleBf16, words, decoded, doubled).transferToHost(DataTransferMode.EVERY_EXECUTION, decoded, doubled));
        for (int w = 0; w < 65536; w++) {
            float host = BFloat16.bf16ToFloat((short) w);
            assertEquals(Float.floatToRawIntBits(host), Float.floatToRawIntBits(decoded.get(w)), "word " + Integer.toHexString(w));
            if (Math.abs(host) >= Float.MIN_NORMAL || host == 0f || Float.isNaN(host)) {
                // twice a subnormal is left out: a device may flush subnormal arithmetic to zero
                assertEquals(BFloat16.bf16FromFloat(host * 2f), doubled.get(w), "twice word " + Integer.toHexString(w));
            }
        }
        FloatArray values = samples(20_000);
        BFloat16Array encoded = new BFloat16Array(values.getSize());
        run(id, new TaskGraph("e").transferToDevice(DataTransferMode.EVERY_EXECUTION, values)
                .task("t", TornadoLowPrecisionTest::encodeBf16, values, encoded).transferToHost(DataTransferMode.EVERY_EXECUTION, encoded));
        for (int i = 0; i < values.getSize(); i++) {
            assertEquals(BFloat16.bf16FromFloat(values.get(i)), encoded.get(i), "bfloat16 of " + values.get(i));
        }
    }

    /** LongNet's kernels take the engine's array that TornadoVM's wraps: words written through one are read through the other. */
    @ParameterizedTest(name = "one bfloat16 array for both APIs on {0}")
    @MethodSource("devices")
    void theEngineArrayAndTornadoVMsAreOne(String id) throws Exception {
        org.longnet.engine.api.BFloat16Array engine = new org.longnet.engine.api.BFloat16Array(1000);
        BFloat16Array tornado = BFloat16Array.of(engine);
        FloatArray values = new FloatArray(1000);
        SplittableRandom r = new SplittableRandom(9);
        for (int i = 0; i < 1000; i++) {
            values.set(i, (float) r.nextDouble(-100, 100));
        }
        run(id, new TaskGraph("s").transferToDevice(DataTransferMode.EVERY_EXECUTION, values)
                .task("t", TornadoLowPrecisionTest::encodeBf16, values, tornado).transferToHost(DataTransferMode.EVERY_EXECUTION, tornado));
        for (int i = 0; i < 1000; i++) {
            assertEquals(BFloat16.bf16ToFloat(BFloat16.bf16FromFloat(values.get(i))), engine.get(i), "element " + i);
            assertEquals(tornado.getFloat(i), engine.get(i), "element " + i);
        }
    }
}
