package org.longnet.tornado;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.longnet.engine.DeviceTest;
import org.longnet.engine.TestDevices;
import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.longnet.tornado.SimdgroupSharingKernels.B_WIDTH;

/**
 * SIMD-group matrices where the work-items of a group mostly make the same calls on the same values (the jvm device then
 * hands one work-item's tiles to the others) and a few make other ones: every work-item's result must be, bit for bit,
 * the tile products of its own calls, computed here in plain Java (element (i, j) adds a(i, k) b(k, j) in the order of
 * k, each product rounded), on every test device; and the devices must agree with each other.
 */
@DeviceTest
class TornadoSimdgroupSharingTest {
    private static final int GROUPS = 3, K = 32, LANES = 32, STAGED_LANES = 64;

    static List<String> devices() {
        return TestDevices.ids();
    }

    /**
     * The random inputs: in the rows of groups 1 and 2, A has zeros of one sign where {@code aSigned} has the other; in
     * those of group 0, at two places, NaNs of other payloads: only a comparison of bits tells the two apart.
     */
    private record Inputs(FloatArray a, FloatArray aSigned, FloatArray b) {
        Inputs(long seed) {
            this(TornadoApiTest.random(GROUPS * 8 * K, seed), new FloatArray(GROUPS * 8 * K), TornadoApiTest.random(K * B_WIDTH, seed + 1));
            for (int i = 0; i < a.getSize(); i++) {
                if (i % 5 == 2) {
                    a.set(i, i % 2 == 0 ? 0.0f : -0.0f);
                }
                aSigned.set(i, i % 5 == 2 && i >= 8 * K ? -a.get(i) : a.get(i));
            }
            for (int i : new int[] {3, K + 4}) {
                a.set(i, Float.intBitsToFloat(0x7fc00002));
                aSigned.set(i, Float.intBitsToFloat(0x7fc00001));
            }
        }
    }

    /** 8 x 8 tile {@code acc} += A's tile at aBase (rows lda apart) times B's at bBase (rows B_WIDTH apart), as the tiles do. */
    private static void addProduct(float[] acc, FloatArray a, int aBase, int lda, FloatArray b, int bBase) {
        for (int i = 0; i < 8; i++) {
            for (int j = 0; j < 8; j++) {
                for (int q = 0; q < 8; q++) {
                    acc[i * 8 + j] += a.get(aBase + i * lda + q) * b.get(bBase + q * B_WIDTH + j);
                }
            }
        }
    }

    /** Each element's bits; where a NaN is expected, any NaN (the payload a product gives is the C compiler's choice). */
    private static void assertBits(float[] expected, FloatArray actual, int slot, String what) {
        for (int e = 0; e < 64; e++) {
            float got = actual.get(slot * 64 + e);
            String where = what + ", element (" + e / 8 + ", " + e % 8 + "): " + expected[e] + " expected, " + got;
            if (Float.isNaN(expected[e])) {
                assertTrue(Float.isNaN(got), where);
            } else {
                assertEquals(Float.floatToRawIntBits(expected[e]), Float.floatToRawIntBits(got), where);
            }
        }
    }

    /** Bit for bit, as a tile stored unchanged must be. */
    private static void assertExactBits(float[] expected, FloatArray actual, int slot, String what) {
        for (int e = 0; e < 64; e++) {
            assertEquals(Float.floatToRawIntBits(expected[e]), Float.floatToRawIntBits(actual.get(slot * 64 + e)),
                    what + ", element (" + e / 8 + ", " + e % 8 + ")");
        }
    }

    private static FloatArray[] runLanes(String id, Inputs in) throws Exception {
        FloatArray out = new FloatArray(GROUPS * LANES * 64), firstA = new FloatArray(GROUPS * LANES * 64);
        out.init(Float.NaN);
        firstA.init(Float.NaN);
        TornadoApiTest.runOnGrid(id, new TaskGraph("s").transferToDevice(DataTransferMode.EVERY_EXECUTION, in.a(), in.aSigned(), in.b(), out, firstA)
                .task("t", SimdgroupSharingKernels::lanes, new KernelContext(), in.a(), in.aSigned(), in.b(), out, firstA, K)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, out, firstA), "s.t", GROUPS * LANES, LANES);
        return new FloatArray[] {out, firstA};
    }

    private static FloatArray runStaged(String id, Inputs in) throws Exception {
        FloatArray out = new FloatArray(GROUPS * STAGED_LANES * 64);
        out.init(Float.NaN);
        TornadoApiTest.runOnGrid(id, new TaskGraph("s").transferToDevice(DataTransferMode.EVERY_EXECUTION, in.a(), in.b(), out)
                .task("t", SimdgroupSharingKernels::staged, new KernelContext(), in.a(), in.b(), out, K)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, out), "s.t", GROUPS * STAGED_LANES, STAGED_LANES);
        return out;
    }

    @ParameterizedTest(name = "work-items of a group with the same and with other calls on {0}")
    @MethodSource("devices")
    void lanes(String id) throws Exception {
        Inputs in = new Inputs(21);
        FloatArray[] got = runLanes(id, in);
        for (int g = 0; g < GROUPS; g++) {
            for (int l = 0; l < LANES; l++) {
                FloatArray aOf = l % 7 == 3 ? in.aSigned() : in.a();
                float[] sum = new float[64], firstA = new float[64];
                for (int p = 0; p < K; p += 8) {
                    addProduct(sum, aOf, g * 8 * K + p, K, in.b(), p * B_WIDTH + SimdgroupSharingKernels.lanesColumn(l));
                }
                for (int e = 0; e < 64; e++) {
                    firstA[e] = aOf.get(g * 8 * K + e / 8 * K + e % 8);
                }
                assertBits(sum, got[0], g * LANES + l, "group " + g + ", work-item " + l);
                assertExactBits(firstA, got[1], g * LANES + l, "first A tile of group " + g + ", work-item " + l);
            }
        }
    }

    @ParameterizedTest(name = "work-items of a group with the same and with other calls between barriers on {0}")
    @MethodSource("devices")
    void staged(String id) throws Exception {
        Inputs in = new Inputs(22);
        FloatArray got = runStaged(id, in);
        for (int g = 0; g < GROUPS; g++) {
            for (int l = 0; l < STAGED_LANES; l++) {
                float[] sum = new float[64];
                for (int p = 0; p < K; p += 8) {
                    addProduct(sum, in.a(), g * 8 * K + p, K, in.b(), p * B_WIDTH + SimdgroupSharingKernels.stagedColumn(l, p));
                }
                assertBits(sum, got, g * STAGED_LANES + l, "group " + g + ", work-item " + l);
            }
        }
    }

    @Test
    void sameBitsOnEveryDevice() throws Exception {
        Inputs in = new Inputs(23);
        List<float[]> results = new ArrayList<>();
        for (String id : devices()) {
            FloatArray[] lanes = runLanes(id, in);
            results.add(FloatArray.concat(lanes[0], lanes[1], runStaged(id, in)).toHeapArray());
        }
        for (int d = 1; d < results.size(); d++) {
            for (int e = 0; e < results.get(0).length; e++) {
                float first = results.get(0)[e], other = results.get(d)[e];
                String where = "element " + e + " on " + devices().get(d) + " against " + devices().get(0);
                if (Float.isNaN(first)) {
                    assertTrue(Float.isNaN(other), where); // a product's NaN payload is the C compiler's choice
                } else {
                    assertEquals(Float.floatToRawIntBits(first), Float.floatToRawIntBits(other), where);
                }
            }
        }
    }
}
