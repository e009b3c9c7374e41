package org.longnet.engine.device;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.longnet.engine.Check;
import org.longnet.engine.DeviceTest;
import org.longnet.engine.TestDevices;
import org.longnet.engine.api.FloatArray;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Copies through page-locked host memory ({@link Device#pinHost}): cuda locks the pages, other devices say they did
 * not; either way an array makes the round trip to the device and back unchanged, pinned twice, unpinned twice.
 */
@DeviceTest
class PinnedHostCopyTest {
    static List<String> devices() {
        return TestDevices.ids();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("devices")
    void roundTripThroughPinnedMemory(String id) {
        Device device = TestDevices.open(id);
        int n = 100_003;
        FloatArray sent = Check.random(n, 5, -1, 1);
        FloatArray x = new FloatArray(n);
        x.segment().copyFrom(sent.segment());
        boolean pinned = device.pinHost(x);
        assertEquals(id.startsWith("cuda"), pinned, "whether " + id + " locks host pages");
        assertEquals(pinned, device.pinHost(x), "pinning again changes nothing");
        device.copyToDevice(x, true);
        if (!id.equals("jvm")) { // the jvm device works on the host memory itself: there is no other copy to bring back
            x.fill(Float.NaN);
        }
        device.copyToHost(x, true);
        device.unpinHost(x);
        device.unpinHost(x);
        device.free(x);
        for (int i = 0; i < n; i++) {
            assertEquals(sent.get(i), x.get(i), "element " + i + " after the round trip on " + id);
        }
    }
}
