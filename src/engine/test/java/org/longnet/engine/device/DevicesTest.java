package org.longnet.engine.device;

import org.junit.jupiter.api.Test;
import org.longnet.engine.DeviceTest;
import org.longnet.engine.TestDevices;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Finding backends through ServiceLoader, opening devices by id, and what a bad id is told. */
@DeviceTest
class DevicesTest {
    @Test
    void discoveryListsEveryRegisteredBackendInOrderWithDevicesOrAReason() {
        List<Devices.Backend> backends = Devices.discover();
        assertEquals(List.of("jvm", "opencl", "cuda"), backends.stream().map(Devices.Backend::name).toList());
        for (Devices.Backend b : backends) {
            assertTrue(b.available() ? !b.devices().isEmpty() : !b.unavailableReason().isBlank(), b.toString());
        }
        for (String id : TestDevices.ids()) {
            String canonical = id.equals("opencl") ? "opencl:0:0" : id.equals("cuda") ? "cuda:0" : id;
            assertTrue(backends.stream().flatMap(b -> b.devices().stream()).anyMatch(d -> d.id().equals(canonical)),
                    "test device " + id + " must be discovered: " + backends);
        }
    }

    @Test
    void aBadIdIsToldEveryFormTheBackendsAccept() {
        for (String id : List.of("foo", "cuda:x", "opencl:0", "jvm:1", ":")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Devices.get(id));
            assertEquals("--device " + id + " is not a device id; use jvm, opencl, opencl:P:D, cuda or cuda:D"
                    + " ('longnet devices' lists them)", e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
        }
    }

    @Test
    void anIdPastTheDevicesThereAreSaysHowManyThereAre() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Devices.get("opencl:9:0"));
        assertTrue(e.getMessage().startsWith("--device opencl:9:0: there are ") && e.getMessage().contains(" OpenCL platforms"),
                e.getMessage());
    }

    @Test
    void aBareBackendNameOpensTheSameDeviceAsItsDefaultId() {
        assertSame(Devices.jvm(), Devices.get("jvm"));
        for (String id : TestDevices.ids()) {
            String canonical = id.equals("opencl") ? "opencl:0:0" : id.equals("cuda") ? "cuda:0" : id;
            assertSame(Devices.get(canonical), Devices.get(id), id);
        }
    }

    @Test
    void onlyCudaDevicesReportMatrixUnits() {
        for (String id : TestDevices.ids()) {
            assertEquals(id.startsWith("cuda"), Devices.get(id).matrixUnits(), id);
        }
    }
}
